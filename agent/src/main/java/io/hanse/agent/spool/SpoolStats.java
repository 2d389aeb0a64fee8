package io.hanse.agent.spool;

/**
 * How full the spool is and what it lost since the agent started.
 *
 * @param pendingRecords records not yet acknowledged by the server
 * @param pendingBytes their size on disk
 * @param dropped records dropped, oldest first, because the spool was full
 * @param torn torn or corrupt records found and cut away when the spool was opened
 */
public record SpoolStats(long pendingRecords, long pendingBytes, long dropped, long torn) {
}
