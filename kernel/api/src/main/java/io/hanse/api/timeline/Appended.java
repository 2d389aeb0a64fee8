package io.hanse.api.timeline;

/**
 * The outcome of appending one event.
 *
 * @param event the event as stored
 * @param created {@code false} if an event with the same id was already stored; then {@code event}
 *     is that earlier event and nothing was stored
 */
public record Appended(Event event, boolean created) {
}
