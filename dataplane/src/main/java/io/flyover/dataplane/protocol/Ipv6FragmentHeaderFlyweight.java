package io.flyover.dataplane.protocol;

import org.agrona.DirectBuffer;
import org.agrona.MutableDirectBuffer;

import static java.nio.ByteOrder.BIG_ENDIAN;

/**
 * IPv6 fragment header (RFC 8200 section 4.5), network byte order, 8 bytes.
 * <pre>
 *  0                   1                   2                   3
 *  0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
 * +---------------+---------------+-------------------------+---+-+
 * |  Next Header  |   Reserved    |      Fragment Offset    |Res|M|
 * +---------------+---------------+-------------------------+---+-+
 * |                         Identification                        |
 * +---------------------------------------------------------------+
 * </pre>
 * The fragment offset is in 8-byte units in the top 13 bits of its 16-bit field, so the field masked
 * with {@link #FRAGMENT_OFFSET_MASK} is the offset in bytes. A fragment header with offset 0 and M clear
 * is an atomic fragment (RFC 6946): the whole packet in one piece.
 * <p>
 * Stateless, static accessors over (buffer, offset of the fragment header): any thread.
 */
public final class Ipv6FragmentHeaderFlyweight
{
    /**
     * Offset of the next header.
     */
    public static final int NEXT_HEADER_OFFSET = 0;

    /**
     * Offset of the reserved byte.
     */
    public static final int RESERVED_OFFSET = 1;

    /**
     * Offset of the 16-bit field holding the fragment offset and the M flag.
     */
    public static final int FRAGMENT_OFFSET_FLAGS_OFFSET = 2;

    /**
     * Offset of the identification.
     */
    public static final int IDENTIFICATION_OFFSET = 4;

    /**
     * Length of the header.
     */
    public static final int HEADER_LENGTH = 8;

    /**
     * Mask giving the fragment offset in bytes from the 16-bit field.
     */
    public static final int FRAGMENT_OFFSET_MASK = 0xFFF8;

    /**
     * More-fragments flag in the 16-bit field.
     */
    public static final int FLAG_MORE_FRAGMENTS = 0x0001;

    private Ipv6FragmentHeaderFlyweight()
    {
    }

    /**
     * @param buffer holding the header.
     * @param offset of the header.
     * @return the next header.
     */
    public static int nextHeader(final DirectBuffer buffer, final int offset)
    {
        return buffer.getByte(offset + NEXT_HEADER_OFFSET) & 0xFF;
    }

    /**
     * @param buffer holding the header.
     * @param offset of the header.
     * @return the fragment offset in bytes.
     */
    public static int fragmentOffsetBytes(final DirectBuffer buffer, final int offset)
    {
        return buffer.getShort(offset + FRAGMENT_OFFSET_FLAGS_OFFSET, BIG_ENDIAN) & FRAGMENT_OFFSET_MASK;
    }

    /**
     * @param buffer holding the header.
     * @param offset of the header.
     * @return true if M (more fragments) is set.
     */
    public static boolean moreFragments(final DirectBuffer buffer, final int offset)
    {
        return 0 != (buffer.getShort(offset + FRAGMENT_OFFSET_FLAGS_OFFSET, BIG_ENDIAN) & FLAG_MORE_FRAGMENTS);
    }

    /**
     * @param buffer holding the header.
     * @param offset of the header.
     * @return the 32-bit identification.
     */
    public static int identification(final DirectBuffer buffer, final int offset)
    {
        return buffer.getInt(offset + IDENTIFICATION_OFFSET, BIG_ENDIAN);
    }

    /**
     * @param buffer holding the header.
     * @param offset of the header.
     * @return true if offset is 0 and M is clear: an atomic fragment, a complete packet.
     */
    public static boolean isAtomic(final DirectBuffer buffer, final int offset)
    {
        return 0 == (buffer.getShort(offset + FRAGMENT_OFFSET_FLAGS_OFFSET, BIG_ENDIAN) &
            (FRAGMENT_OFFSET_MASK | FLAG_MORE_FRAGMENTS));
    }

    /**
     * Write a fragment header.
     *
     * @param buffer              to write to.
     * @param offset              of the header.
     * @param nextHeader          protocol number of what follows.
     * @param fragmentOffsetBytes offset of this fragment's data in bytes, a multiple of 8.
     * @param moreFragments       the M flag.
     * @param identification      32-bit identification.
     * @return {@link #HEADER_LENGTH}.
     */
    public static int writeHeader(
        final MutableDirectBuffer buffer,
        final int offset,
        final int nextHeader,
        final int fragmentOffsetBytes,
        final boolean moreFragments,
        final int identification)
    {
        buffer.putByte(offset + NEXT_HEADER_OFFSET, (byte)nextHeader);
        buffer.putByte(offset + RESERVED_OFFSET, (byte)0);
        final int field = (fragmentOffsetBytes & FRAGMENT_OFFSET_MASK) | (moreFragments ? FLAG_MORE_FRAGMENTS : 0);
        buffer.putShort(offset + FRAGMENT_OFFSET_FLAGS_OFFSET, (short)field, BIG_ENDIAN);
        buffer.putInt(offset + IDENTIFICATION_OFFSET, identification, BIG_ENDIAN);
        return HEADER_LENGTH;
    }
}
