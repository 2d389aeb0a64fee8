/** The kernel's own REST resources. */
package io.hanse.kernel.core.rest;
