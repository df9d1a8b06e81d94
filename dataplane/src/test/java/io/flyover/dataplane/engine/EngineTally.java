package io.flyover.dataplane.engine;

import io.flyover.dataplane.counters.DropReason;

/**
 * A snapshot of one POP engine's packet accounting, summed over its workers: received, forwarded,
 * consumed and dropped frames, drops per reason, and frames the port agents could not take. Two
 * snapshots give what a batch of traffic did ({@link #minus}).
 *
 * @param received  frames the workers took.
 * @param forwarded frames they sent on.
 * @param consumed  frames handed to the control plane.
 * @param dropped   frames dropped.
 * @param byReason  drops per drop id.
 * @param rxDropped frames the receive agents could not hand to a worker.
 */
record EngineTally(long received, long forwarded, long consumed, long dropped, long[] byReason, long rxDropped)
{
    static EngineTally of(final PopEngine engine)
    {
        long received = 0;
        long forwarded = 0;
        long consumed = 0;
        long dropped = 0;
        final long[] byReason = new long[DropReason.ID_LIMIT];
        for (final WorkerAgent worker : engine.workers())
        {
            final EngineCounters counters = worker.counters();
            received += counters.received();
            forwarded += counters.forwarded();
            consumed += counters.consumed();
            dropped += counters.dropped();
            for (int id = 1; id < DropReason.ID_LIMIT; id++)
            {
                byReason[id] += worker.drops().get(id);
            }
        }
        long rxDropped = 0;
        for (final PortRole role : PortRole.values())
        {
            rxDropped += engine.rx(role).dropped();
        }
        return new EngineTally(received, forwarded, consumed, dropped, byReason, rxDropped);
    }

    EngineTally minus(final EngineTally before)
    {
        final long[] reasons = new long[DropReason.ID_LIMIT];
        for (int id = 1; id < DropReason.ID_LIMIT; id++)
        {
            reasons[id] = byReason[id] - before.byReason[id];
        }
        return new EngineTally(received - before.received, forwarded - before.forwarded, consumed - before.consumed,
            dropped - before.dropped, reasons, rxDropped - before.rxDropped);
    }

    /**
     * @return drops summed over every reason.
     */
    long droppedByReason()
    {
        long sum = 0;
        for (int id = 1; id < DropReason.ID_LIMIT; id++)
        {
            sum += byReason[id];
        }
        return sum;
    }

    /**
     * @param reason a reason's label, or a parse fault's ({@code parse_...}).
     * @return drops counted under it.
     */
    long dropped(final String reason)
    {
        for (int id = 1; id < DropReason.ID_LIMIT; id++)
        {
            if (reason.equals(DropReason.labelOf(id)))
            {
                return byReason[id];
            }
        }
        throw new IllegalArgumentException("no drop reason " + reason);
    }

    @Override
    public String toString()
    {
        final StringBuilder reasons = new StringBuilder();
        for (int id = 1; id < DropReason.ID_LIMIT; id++)
        {
            if (0 != byReason[id])
            {
                reasons.append(' ').append(DropReason.labelOf(id)).append('=').append(byReason[id]);
            }
        }
        return "received " + received + ", forwarded " + forwarded + ", consumed " + consumed + ", dropped " + dropped +
            " (" + reasons.toString().trim() + "), rx dropped " + rxDropped;
    }
}
