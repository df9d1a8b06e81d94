package io.flyover.dataplane.engine;

import org.agrona.DirectBuffer;

import io.flyover.dataplane.ring.FrameRing;

/**
 * A port made of two {@link FrameRing}s, for tests, replay, the simulator and the demo. The
 * engine's port agent polls {@link #inbound()} and offers to {@link #outbound()}; the harness
 * does the reverse through {@link #inject} and {@link #drain}. Each ring has one producer thread
 * and one consumer thread.
 */
public final class InMemoryPort implements Port
{
    private final String name;
    private final boolean carriesEthernet;
    private final FrameRing inbound;
    private final FrameRing outbound;

    /**
     * @param name            the port's name.
     * @param carriesEthernet whether frames start with Ethernet.
     * @param slotCount       slots in each direction, a power of two.
     * @param slotSize        bytes per slot, a power of two; frames up to {@code slotSize - 128} fit.
     */
    public InMemoryPort(final String name, final boolean carriesEthernet, final int slotCount, final int slotSize)
    {
        this.name = name;
        this.carriesEthernet = carriesEthernet;
        this.inbound = new FrameRing(slotCount, slotSize);
        this.outbound = new FrameRing(slotCount, slotSize);
    }

    @Override
    public String name()
    {
        return name;
    }

    @Override
    public boolean carriesEthernet()
    {
        return carriesEthernet;
    }

    /**
     * @return frames waiting for the engine.
     */
    public FrameRing inbound()
    {
        return inbound;
    }

    /**
     * @return frames the engine sent.
     */
    public FrameRing outbound()
    {
        return outbound;
    }

    /**
     * Harness side: puts a frame on the wire toward the engine.
     *
     * @param buffer holds the frame.
     * @param offset where it starts.
     * @param length its length.
     * @return {@code true} if queued, {@code false} if the inbound ring is full or the frame too long.
     */
    public boolean inject(final DirectBuffer buffer, final int offset, final int length)
    {
        return inbound.offer(buffer, offset, length, 0) >= 0;
    }

    /**
     * Harness side: takes up to {@code limit} frames the engine sent.
     *
     * @param handler told of each frame, in place.
     * @param limit   the most frames to take.
     * @return frames taken.
     */
    public int drain(final FrameHandler handler, final int limit)
    {
        return drainRing(outbound, handler, limit);
    }

    @Override
    public int poll(final FrameHandler handler, final int limit)
    {
        return drainRing(inbound, handler, limit);
    }

    @Override
    public int offer(final DirectBuffer buffer, final int offset, final int length)
    {
        final long result = outbound.offer(buffer, offset, length, 0);
        if (result >= 0)
        {
            return 0;
        }
        return result == FrameRing.TOO_LONG ? FRAME_TOO_LARGE : BACK_PRESSURED;
    }

    @Override
    public int flush()
    {
        return 0;
    }

    @Override
    public void close()
    {
    }

    private static int drainRing(final FrameRing ring, final FrameHandler handler, final int limit)
    {
        final int count = ring.available(limit);
        final long start = ring.consumerPosition();
        for (int i = 0; i < count; i++)
        {
            final int slot = ring.slotOffset(start + i);
            handler.onFrame(ring.buffer(), ring.frameOffset(slot), ring.frameLength(slot));
        }
        ring.release(count);
        return count;
    }
}
