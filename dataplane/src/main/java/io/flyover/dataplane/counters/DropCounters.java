package io.flyover.dataplane.counters;

import io.flyover.dataplane.protocol.ParseVerdict;
import org.agrona.concurrent.status.CountersManager;

/**
 * One worker's drop counters, indexed by drop id ({@link DropReason}, parse faults included):
 * bumped plainly per dropped packet, published to the counters file once per duty cycle. Owned
 * by the worker thread; nothing allocates after construction.
 */
public final class DropCounters
{
    private final CounterBlock block;

    /**
     * Allocates a counter for every drop id in use.
     *
     * @param manager  the counters file's manager.
     * @param workerId the owning worker's id.
     */
    public DropCounters(final CountersManager manager, final int workerId)
    {
        block = new CounterBlock(manager, CounterType.DROP_REASON, workerId);
    }

    /**
     * Counts one drop.
     *
     * @param reason the reason.
     */
    public void drop(final DropReason reason)
    {
        block.increment(reason.id());
    }

    /**
     * Counts one drop by id, as stage verdicts carry it.
     *
     * @param dropId a drop id, {@code 0 < dropId < DropReason.ID_LIMIT}.
     */
    public void drop(final int dropId)
    {
        block.increment(dropId);
    }

    /**
     * Counts one packet the parser refused.
     *
     * @param verdict a parse verdict other than {@code OK}.
     */
    public void parseFault(final ParseVerdict verdict)
    {
        block.increment(DropReason.idOf(verdict));
    }

    /**
     * @param reason a reason.
     * @return drops counted so far (published or not).
     */
    public long get(final DropReason reason)
    {
        return block.get(reason.id());
    }

    /**
     * @param dropId a drop id.
     * @return drops counted so far (published or not).
     */
    public long get(final int dropId)
    {
        return block.get(dropId);
    }

    /**
     * Publishes changed counts to the counters file. Call once per duty cycle.
     *
     * @return the number of counters written.
     */
    public int publish()
    {
        return block.publish();
    }

    /**
     * @return the underlying block.
     */
    public CounterBlock block()
    {
        return block;
    }
}
