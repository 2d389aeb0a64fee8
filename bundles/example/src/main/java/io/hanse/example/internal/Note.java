package io.hanse.example.internal;

import java.time.Instant;

/**
 * A note as stored.
 *
 * @param id assigned by the database, increasing
 * @param text what the note says
 * @param created when it was added
 */
public record Note(long id, String text, Instant created) {
}
