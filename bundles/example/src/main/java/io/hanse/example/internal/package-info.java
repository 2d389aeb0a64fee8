/** Notes and their storage: the plugin's domain, private to the bundle. */
package io.hanse.example.internal;
