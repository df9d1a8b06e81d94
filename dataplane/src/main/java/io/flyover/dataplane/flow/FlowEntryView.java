package io.flyover.dataplane.flow;

/**
 * A copy of one flow entry taken by a reader that is not the table's owner (the admin thread):
 * see {@link FlowTable#readConcurrently(int, FlowEntryView)}. Mutable, reused by its reader.
 */
public final class FlowEntryView
{
    /** The entry's key. */
    public final FlowKey key = new FlowKey();
    /** Packed route. */
    public long route;
    /** Service id. */
    public int serviceId;
    /** Backend id. */
    public int backendId;
    /** Packets seen, saturating at {@link FlowEntryDescriptor#MAX_PACKETS}. */
    public int packets;
    /** State, see {@link FlowState}. */
    public int state;
    /** Created, ms of the engine clock truncated to 32 bits. */
    public int createdMs;
    /** Last seen, ms of the engine clock truncated to 32 bits. */
    public int lastSeenMs;
}
