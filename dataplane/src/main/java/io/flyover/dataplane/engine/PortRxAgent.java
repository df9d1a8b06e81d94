package io.flyover.dataplane.engine;

import org.agrona.DirectBuffer;
import org.agrona.concurrent.Agent;

import io.flyover.dataplane.counters.DropCounters;
import io.flyover.dataplane.counters.DropReason;
import io.flyover.dataplane.ring.FrameRing;

/**
 * Moves frames from a port to the workers: polls the port and puts each frame on the ring of the
 * worker that owns its flow ({@link ShardSelector}). A full ring is a counted drop; the agent never
 * blocks. Runs on one thread.
 */
public final class PortRxAgent implements Agent
{
    private final Port port;
    private final PortRole role;
    private final FrameRing[] workerRings;
    private final ShardSelector shards;
    private final DropCounters drops;
    private final int batchSize;
    private final FrameHandler onFrame = this::onFrame;
    private long received;
    private long dropped;

    /**
     * @param port        the port to poll.
     * @param role        the port's role.
     * @param workerRings one ring per worker, indexed by shard.
     * @param shards      picks a frame's shard.
     * @param drops       counters for frames that found their ring full.
     * @param batchSize   frames taken per duty cycle.
     */
    public PortRxAgent(
        final Port port,
        final PortRole role,
        final FrameRing[] workerRings,
        final ShardSelector shards,
        final DropCounters drops,
        final int batchSize)
    {
        this.port = port;
        this.role = role;
        this.workerRings = workerRings.clone();
        this.shards = shards;
        this.drops = drops;
        this.batchSize = batchSize;
    }

    @Override
    public String roleName()
    {
        return "flyover-rx-" + role.label();
    }

    /**
     * @return frames taken from the port.
     */
    public long received()
    {
        return received;
    }

    /**
     * @return frames dropped here (ring full or too long), each under a reason.
     */
    public long dropped()
    {
        return dropped;
    }

    @Override
    public int doWork()
    {
        final int work = port.poll(onFrame, batchSize);
        if (work > 0)
        {
            drops.publish();
        }
        return work;
    }

    private void onFrame(final DirectBuffer buffer, final int offset, final int length)
    {
        received++;
        final int shard = workerRings.length == 1 ? 0 :
            shards.shardOf(role, buffer, offset, length, workerRings.length);
        final long result = workerRings[shard].offer(buffer, offset, length, role.id());
        if (result < 0)
        {
            dropped++;
            drops.drop(FrameRing.FULL == result ? DropReason.RING_FULL : DropReason.FRAME_TOO_LARGE);
        }
    }
}
