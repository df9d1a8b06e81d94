package io.flyover.dataplane.flow;

/**
 * Told when the table itself ends a flow: an idle timeout ran out or the entry was evicted to
 * make room. Called on the table's owning thread just before the entry is overwritten or
 * removed; the entry can still be read through the table's accessors (for a flow-end event).
 * The handler must not change the table. Bind it once; it must not allocate.
 */
@FunctionalInterface
public interface FlowEndHandler
{
    /** Cause: the entry was idle for at least its state's timeout. */
    int EXPIRED = 1;

    /** Cause: a live entry was evicted to make room for a new flow. */
    int EVICTED = 2;

    /** A handler that does nothing. */
    FlowEndHandler NO_OP = (table, entryOffset, cause) -> {};

    /**
     * @param table       the table.
     * @param entryOffset the ending entry's offset.
     * @param cause       {@link #EXPIRED} or {@link #EVICTED}.
     */
    void onFlowEnd(FlowTable table, int entryOffset, int cause);
}
