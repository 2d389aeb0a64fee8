/**
 * Jetty's own error answers, for the requests it refuses before any servlet sees them, as problem
 * documents. The package lives in a fragment of Pax Web's Jetty bundle; nothing else uses it.
 */
package io.hanse.kernel.jetty.internal;
