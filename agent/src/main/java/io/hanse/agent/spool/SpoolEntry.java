package io.hanse.agent.spool;

/**
 * One record read from the spool.
 *
 * @param at where the record starts
 * @param next where the record after it starts
 * @param payload the record's bytes
 */
public record SpoolEntry(Position at, Position next, byte[] payload) {
}
