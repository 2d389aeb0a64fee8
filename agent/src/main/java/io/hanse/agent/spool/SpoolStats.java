package io.hanse.agent.spool;

/**
 * How full the spool is and what it lost since the agent started.
 *
 * @param pendingRecords records not yet acknowledged by the server
 * @param pendingBytes their size on disk
 * @param dropped records dropped, oldest first, because the spool was full, but for those a reader had
 *     taken before and the server acknowledged after all
 * @param torn records cut away when the spool was opened: a torn or corrupt one and every one after
 *     it in its segment, as far as they were not acknowledged
 * @param unwritten records that could not be written to the spool (a full disk, an I/O error)
 */
public record SpoolStats(long pendingRecords, long pendingBytes, long dropped, long torn, long unwritten) {

    /** Returns the records lost without the server taking them: dropped, torn or unwritten. */
    public long lost() {
        return dropped + torn + unwritten;
    }
}
