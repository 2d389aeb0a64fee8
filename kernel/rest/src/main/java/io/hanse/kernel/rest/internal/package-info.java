/**
 * The REST layer: Jersey behind one servlet at {@code /api/v1}, serving every registered
 * {@link io.hanse.api.rest.RestResource}, with JSON bodies, size limits and RFC 9457 errors,
 * and their OpenAPI description at {@code /api/v1/openapi.json}. Everything Jersey- and
 * servlet-specific in Hanse lives here.
 */
package io.hanse.kernel.rest.internal;
