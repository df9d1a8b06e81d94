package io.flyover.dataplane.ring;

import java.nio.ByteOrder;

import org.agrona.BufferUtil;
import org.agrona.DirectBuffer;
import org.agrona.concurrent.UnsafeBuffer;

import static io.flyover.dataplane.ring.FrameRingDescriptor.CONSUMER_POSITION_OFFSET;
import static io.flyover.dataplane.ring.FrameRingDescriptor.FRAME_OFFSET_OFFSET;
import static io.flyover.dataplane.ring.FrameRingDescriptor.HEADROOM;
import static io.flyover.dataplane.ring.FrameRingDescriptor.LENGTH_OFFSET;
import static io.flyover.dataplane.ring.FrameRingDescriptor.META_OFFSET;
import static io.flyover.dataplane.ring.FrameRingDescriptor.PRODUCER_POSITION_OFFSET;

/**
 * A one-to-one ring of fixed-size frame slots in off-heap memory, for moving packets between a
 * port agent and a worker agent. One producer thread and one consumer thread; neither blocks and
 * neither allocates.
 * <p>
 * The consumer works in place and in batches: {@link #available(int)} says how many frames are
 * ready, {@link #slotOffset(long)} locates each, the stages read and rewrite them (a stage may
 * prepend headers into the slot's headroom), and {@link #release(int)} hands the slots back.
 * A full ring is reported to the producer as {@link #FULL}; the caller counts it as a drop.
 */
public final class FrameRing
{
    /**
     * Returned by the producer methods when no slot is free.
     */
    public static final int FULL = -1;

    /**
     * Returned when a frame does not fit in a slot.
     */
    public static final int TOO_LONG = -2;

    private final UnsafeBuffer buffer;
    private final int slotCount;
    private final int slotSize;
    private final int slotShift;
    private final int mask;
    private final int trailerOffset;
    private final int maxFrameLength;

    private long producerPosition;
    private long producerLimit;
    private long consumerPosition;

    /**
     * Allocates a ring in cache-aligned direct memory.
     *
     * @param slotCount number of slots, a power of two.
     * @param slotSize  bytes per slot, a power of two larger than the headroom.
     */
    public FrameRing(final int slotCount, final int slotSize)
    {
        this(new UnsafeBuffer(BufferUtil.allocateDirectAligned(
            FrameRingDescriptor.requiredLength(slotCount, slotSize), 128)), slotCount, slotSize);
    }

    /**
     * Wraps existing memory laid out by {@link FrameRingDescriptor}.
     *
     * @param buffer    memory of at least {@link FrameRingDescriptor#requiredLength(int, int)} bytes.
     * @param slotCount number of slots, a power of two.
     * @param slotSize  bytes per slot, a power of two larger than the headroom.
     */
    public FrameRing(final UnsafeBuffer buffer, final int slotCount, final int slotSize)
    {
        FrameRingDescriptor.checkShape(slotCount, slotSize);
        if (buffer.capacity() < FrameRingDescriptor.requiredLength(slotCount, slotSize))
        {
            throw new IllegalArgumentException("buffer too small for " + slotCount + " slots of " + slotSize);
        }
        this.buffer = buffer;
        this.slotCount = slotCount;
        this.slotSize = slotSize;
        this.slotShift = Integer.numberOfTrailingZeros(slotSize);
        this.mask = slotCount - 1;
        this.trailerOffset = slotCount * slotSize;
        this.maxFrameLength = slotSize - HEADROOM;
        this.producerPosition = buffer.getLongVolatile(trailerOffset + PRODUCER_POSITION_OFFSET);
        this.consumerPosition = buffer.getLongVolatile(trailerOffset + CONSUMER_POSITION_OFFSET);
        this.producerLimit = consumerPosition + slotCount;
    }

    /**
     * @return the memory the slots live in; frames are read and written through it.
     */
    public UnsafeBuffer buffer()
    {
        return buffer;
    }

    /**
     * @return number of slots.
     */
    public int slotCount()
    {
        return slotCount;
    }

    /**
     * @return bytes per slot.
     */
    public int slotSize()
    {
        return slotSize;
    }

    /**
     * @return the longest frame a slot holds when written at the standard headroom.
     */
    public int maxFrameLength()
    {
        return maxFrameLength;
    }

    // ---------------------------------------------------------------- producer side

    /**
     * Claims the next slot for the producer to fill in place. Follow with
     * {@link #commit(long, int, int, int)}; claims must be committed in order.
     *
     * @return the claimed slot's offset in {@link #buffer()}, or {@link #FULL}.
     */
    public long claim()
    {
        final long position = producerPosition;
        if (position >= producerLimit)
        {
            producerLimit = buffer.getLongVolatile(trailerOffset + CONSUMER_POSITION_OFFSET) + slotCount;
            if (position >= producerLimit)
            {
                return FULL;
            }
        }
        return (long)((int)position & mask) << slotShift;
    }

    /**
     * Publishes the slot returned by the last {@link #claim()}.
     *
     * @param slotOffset  the claimed slot.
     * @param frameOffset where the frame starts, relative to the slot (normally {@link FrameRingDescriptor#HEADROOM}).
     * @param length      frame length in bytes.
     * @param meta        owner-defined word, e.g. the port the frame arrived on.
     */
    public void commit(final long slotOffset, final int frameOffset, final int length, final int meta)
    {
        final int slot = (int)slotOffset;
        buffer.putInt(slot + LENGTH_OFFSET, length, ByteOrder.nativeOrder());
        buffer.putInt(slot + FRAME_OFFSET_OFFSET, frameOffset, ByteOrder.nativeOrder());
        buffer.putInt(slot + META_OFFSET, meta, ByteOrder.nativeOrder());
        producerPosition++;
        buffer.putLongOrdered(trailerOffset + PRODUCER_POSITION_OFFSET, producerPosition);
    }

    /**
     * Copies a frame into the next slot and publishes it.
     *
     * @param src    bytes to copy.
     * @param offset where the frame starts in {@code src}.
     * @param length frame length.
     * @param meta   owner-defined word.
     * @return the slot offset used, {@link #FULL} or {@link #TOO_LONG}.
     */
    public long offer(final DirectBuffer src, final int offset, final int length, final int meta)
    {
        if (length > maxFrameLength || length < 0)
        {
            return TOO_LONG;
        }
        final long slot = claim();
        if (slot >= 0)
        {
            buffer.putBytes((int)slot + HEADROOM, src, offset, length);
            commit(slot, HEADROOM, length, meta);
        }
        return slot;
    }

    // ---------------------------------------------------------------- consumer side

    /**
     * Frames ready for the consumer, at most {@code limit}.
     *
     * @param limit the batch size wanted.
     * @return number of frames that may be processed, starting at {@link #consumerPosition()}.
     */
    public int available(final int limit)
    {
        final long produced = buffer.getLongVolatile(trailerOffset + PRODUCER_POSITION_OFFSET);
        return (int)Math.min(limit, produced - consumerPosition);
    }

    /**
     * @return the position of the next frame the consumer will see.
     */
    public long consumerPosition()
    {
        return consumerPosition;
    }

    /**
     * Offset of the slot that holds the frame at a position.
     *
     * @param position a position in {@code [consumerPosition(), consumerPosition() + available)}.
     * @return the slot's offset in {@link #buffer()}.
     */
    public int slotOffset(final long position)
    {
        return ((int)position & mask) << slotShift;
    }

    /**
     * @param slotOffset a slot.
     * @return the frame's length.
     */
    public int frameLength(final int slotOffset)
    {
        return buffer.getInt(slotOffset + LENGTH_OFFSET, ByteOrder.nativeOrder());
    }

    /**
     * @param slotOffset a slot.
     * @return the frame's absolute offset in {@link #buffer()}.
     */
    public int frameOffset(final int slotOffset)
    {
        return slotOffset + buffer.getInt(slotOffset + FRAME_OFFSET_OFFSET, ByteOrder.nativeOrder());
    }

    /**
     * @param slotOffset a slot.
     * @return the meta word the producer stored.
     */
    public int meta(final int slotOffset)
    {
        return buffer.getInt(slotOffset + META_OFFSET, ByteOrder.nativeOrder());
    }

    /**
     * Records that a stage moved or resized the frame in its slot (e.g. prepended a header into
     * the headroom, or stripped one).
     *
     * @param slotOffset     a slot held by the consumer.
     * @param absoluteOffset the frame's new absolute start in {@link #buffer()}, inside the slot.
     * @param length         the frame's new length.
     */
    public void updateFrame(final int slotOffset, final int absoluteOffset, final int length)
    {
        buffer.putInt(slotOffset + FRAME_OFFSET_OFFSET, absoluteOffset - slotOffset, ByteOrder.nativeOrder());
        buffer.putInt(slotOffset + LENGTH_OFFSET, length, ByteOrder.nativeOrder());
    }

    /**
     * Hands processed slots back to the producer.
     *
     * @param count number of frames processed since the last release.
     */
    public void release(final int count)
    {
        consumerPosition += count;
        buffer.putLongOrdered(trailerOffset + CONSUMER_POSITION_OFFSET, consumerPosition);
    }

    /**
     * @return frames published and not yet released; a racy snapshot when read from another thread.
     */
    public long size()
    {
        return buffer.getLongVolatile(trailerOffset + PRODUCER_POSITION_OFFSET) -
            buffer.getLongVolatile(trailerOffset + CONSUMER_POSITION_OFFSET);
    }
}
