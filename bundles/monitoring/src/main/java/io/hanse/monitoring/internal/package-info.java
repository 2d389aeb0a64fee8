/** Check states, acknowledgements, downtimes, history and reviews: the plugin's domain, private to the bundle. */
package io.hanse.monitoring.internal;
