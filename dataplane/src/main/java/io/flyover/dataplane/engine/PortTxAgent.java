package io.flyover.dataplane.engine;

import org.agrona.concurrent.Agent;

import io.flyover.dataplane.counters.DropCounters;
import io.flyover.dataplane.counters.DropReason;
import io.flyover.dataplane.ring.FrameRing;

/**
 * Moves frames from the workers to a port: drains each worker's ring for this port and offers
 * the frames to the device, then flushes. A device that cannot take a frame costs a counted drop.
 * Runs on one thread.
 */
public final class PortTxAgent implements Agent
{
    private final Port port;
    private final PortRole role;
    private final FrameRing[] workerRings;
    private final DropCounters drops;
    private final int batchSize;
    private long sent;
    private long dropped;

    /**
     * @param port        the port to send on.
     * @param role        the port's role.
     * @param workerRings one ring per worker.
     * @param drops       counters for frames the device refused.
     * @param batchSize   frames taken from each ring per duty cycle.
     */
    public PortTxAgent(
        final Port port, final PortRole role, final FrameRing[] workerRings, final DropCounters drops, final int batchSize)
    {
        this.port = port;
        this.role = role;
        this.workerRings = workerRings.clone();
        this.drops = drops;
        this.batchSize = batchSize;
    }

    @Override
    public String roleName()
    {
        return "flyover-tx-" + role.label();
    }

    /**
     * @return frames the port accepted.
     */
    public long sent()
    {
        return sent;
    }

    /**
     * @return frames the port refused, each under a reason.
     */
    public long dropped()
    {
        return dropped;
    }

    @Override
    public int doWork()
    {
        int work = 0;
        for (final FrameRing ring : workerRings)
        {
            final int count = ring.available(batchSize);
            final long start = ring.consumerPosition();
            for (int i = 0; i < count; i++)
            {
                final int slot = ring.slotOffset(start + i);
                final int result = port.offer(ring.buffer(), ring.frameOffset(slot), ring.frameLength(slot));
                if (result >= 0)
                {
                    sent++;
                }
                else
                {
                    dropped++;
                    drops.drop(dropReason(result));
                }
            }
            ring.release(count);
            work += count;
        }
        if (work > 0)
        {
            port.flush();
            drops.publish();
        }
        return work;
    }

    private static DropReason dropReason(final int result)
    {
        return switch (result)
        {
            case Port.FRAME_TOO_LARGE -> DropReason.FRAME_TOO_LARGE;
            case Port.NO_NEIGHBOR -> DropReason.NEIGHBOR_UNRESOLVED;
            default -> DropReason.PORT_BACK_PRESSURED;
        };
    }
}
