/** {@code /api/v1/example/notes}. */
package io.hanse.example.rest;
