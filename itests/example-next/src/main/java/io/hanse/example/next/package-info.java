/** What the example plugin's version 1.1 adds, for the version-skew test. */
package io.hanse.example.next;
