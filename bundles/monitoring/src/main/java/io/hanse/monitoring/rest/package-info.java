/** The monitoring plugin's REST resources under {@code /api/v1/monitoring}. */
package io.hanse.monitoring.rest;
