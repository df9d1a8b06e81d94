package io.flyover.dataplane.ring;

/**
 * Off-heap layout of a {@link FrameRing}: a power-of-two number of fixed-size slots followed by a
 * trailer holding the producer and consumer positions on cache lines of their own.
 * <pre>
 *  slot i (slotSize bytes, slotSize a power of two):
 *   0                   1                   2                   3
 *   0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
 *  +---------------------------------------------------------------+
 *  |                        Frame length                           |
 *  +---------------------------------------------------------------+
 *  |                        Frame offset (from slot start)         |
 *  +---------------------------------------------------------------+
 *  |                        Meta (port id, flags: owner defined)   |
 *  +---------------------------------------------------------------+
 *  |                        Reserved                               |
 *  +---------------------------------------------------------------+
 *  |          Headroom: encapsulation grows the frame toward here ...
 *  +---------------------------------------------------------------+  HEADROOM
 *  |                        Frame bytes ...                        |
 *  +---------------------------------------------------------------+
 *
 *  trailer (after the slots):
 *  +-- 0 ---- producer position (long), alone on two cache lines -----+
 *  +-- 128 -- consumer position (long), alone on two cache lines -----+
 * </pre>
 * A frame's bytes start at {@link #HEADROOM} when written, and a stage may move the start back
 * into the headroom to prepend headers in place; the frame offset field records where it starts.
 */
public final class FrameRingDescriptor
{
    /**
     * Offset of the frame length (int) within a slot.
     */
    public static final int LENGTH_OFFSET = 0;

    /**
     * Offset of the frame's start, relative to the slot (int).
     */
    public static final int FRAME_OFFSET_OFFSET = 4;

    /**
     * Offset of the owner-defined meta word (int), e.g. the receiving port's id.
     */
    public static final int META_OFFSET = 8;

    /**
     * Space reserved at the front of each slot: the slot header and room to prepend headers
     * (outer Ethernet + IPv4 + UDP + Geneve + Flyover option = 14 + 20 + 8 + 8 + 32 = 82 bytes).
     */
    public static final int HEADROOM = 128;

    /**
     * Alignment that keeps the two positions off each other's cache lines, with adjacent-line
     * prefetch taken into account.
     */
    public static final int POSITION_PADDING = 128;

    /**
     * Offset of the producer position in the trailer.
     */
    public static final int PRODUCER_POSITION_OFFSET = 0;

    /**
     * Offset of the consumer position in the trailer.
     */
    public static final int CONSUMER_POSITION_OFFSET = POSITION_PADDING;

    /**
     * Length of the trailer.
     */
    public static final int TRAILER_LENGTH = 2 * POSITION_PADDING;

    private FrameRingDescriptor()
    {
    }

    /**
     * Bytes needed for a ring of the given shape.
     *
     * @param slotCount number of slots, a power of two.
     * @param slotSize  bytes per slot, a power of two larger than {@link #HEADROOM}.
     * @return the buffer length to allocate.
     */
    public static int requiredLength(final int slotCount, final int slotSize)
    {
        checkShape(slotCount, slotSize);
        return Math.multiplyExact(slotCount, slotSize) + TRAILER_LENGTH;
    }

    /**
     * Validates a ring shape.
     *
     * @param slotCount number of slots.
     * @param slotSize  bytes per slot.
     * @throws IllegalArgumentException if either is not a power of two or the slot has no room for data.
     */
    public static void checkShape(final int slotCount, final int slotSize)
    {
        if (slotCount < 2 || Integer.bitCount(slotCount) != 1)
        {
            throw new IllegalArgumentException("slot count must be a power of two >= 2: " + slotCount);
        }
        if (slotSize <= HEADROOM || Integer.bitCount(slotSize) != 1)
        {
            throw new IllegalArgumentException(
                "slot size must be a power of two larger than the headroom " + HEADROOM + ": " + slotSize);
        }
    }
}
