package io.flyover.dataplane.protocol;

import org.agrona.DirectBuffer;
import org.agrona.MutableDirectBuffer;

import static java.nio.ByteOrder.BIG_ENDIAN;

/**
 * IPv6 fixed header (RFC 8200), network byte order, 40 bytes. Extension headers follow it, see
 * {@link Ipv6ExtensionHeaderFlyweight}, {@link Ipv6FragmentHeaderFlyweight} and
 * {@link AuthenticationHeaderFlyweight}.
 * <pre>
 *  0                   1                   2                   3
 *  0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
 * +-------+---------------+---------------------------------------+
 * |Version| Traffic Class |           Flow Label                  |
 * +-------+---------------+-------+---------------+---------------+
 * |         Payload Length        |  Next Header  |   Hop Limit   |
 * +-------------------------------+---------------+---------------+
 * |                                                               |
 * +                                                               +
 * |                         Source Address                        |
 * +                                                               +
 * |                                                               |
 * +---------------------------------------------------------------+
 * |                                                               |
 * +                                                               +
 * |                      Destination Address                      |
 * +                                                               +
 * |                                                               |
 * +---------------------------------------------------------------+
 * </pre>
 * A 128-bit address is handled as two {@code long}s, high (first 8 bytes) and low, big-endian.
 * <p>
 * Stateless, static accessors over (buffer, offset of the header): any thread.
 */
public final class Ipv6Flyweight
{
    /**
     * Offset of the version, traffic class and flow label word.
     */
    public static final int VERSION_CLASS_FLOW_OFFSET = 0;

    /**
     * Offset of the payload length (everything after the fixed header).
     */
    public static final int PAYLOAD_LENGTH_OFFSET = 4;

    /**
     * Offset of the next header.
     */
    public static final int NEXT_HEADER_OFFSET = 6;

    /**
     * Offset of the hop limit.
     */
    public static final int HOP_LIMIT_OFFSET = 7;

    /**
     * Offset of the source address.
     */
    public static final int SRC_ADDRESS_OFFSET = 8;

    /**
     * Offset of the destination address.
     */
    public static final int DST_ADDRESS_OFFSET = 24;

    /**
     * Length of the fixed header.
     */
    public static final int HEADER_LENGTH = 40;

    /**
     * Length of an address.
     */
    public static final int ADDRESS_LENGTH = 16;

    /**
     * The version field's value.
     */
    public static final int VERSION = 6;

    /**
     * Mask of the 20-bit flow label.
     */
    public static final int FLOW_LABEL_MASK = 0xF_FFFF;

    private Ipv6Flyweight()
    {
    }

    /**
     * @param buffer holding the header.
     * @param offset of the header.
     * @return the version nibble.
     */
    public static int version(final DirectBuffer buffer, final int offset)
    {
        return (buffer.getByte(offset) & 0xFF) >>> 4;
    }

    /**
     * @param buffer holding the header.
     * @param offset of the header.
     * @return the 8-bit traffic class.
     */
    public static int trafficClass(final DirectBuffer buffer, final int offset)
    {
        return (buffer.getInt(offset + VERSION_CLASS_FLOW_OFFSET, BIG_ENDIAN) >>> 20) & 0xFF;
    }

    /**
     * @param buffer holding the header.
     * @param offset of the header.
     * @return the 20-bit flow label.
     */
    public static int flowLabel(final DirectBuffer buffer, final int offset)
    {
        return buffer.getInt(offset + VERSION_CLASS_FLOW_OFFSET, BIG_ENDIAN) & FLOW_LABEL_MASK;
    }

    /**
     * @param buffer holding the header.
     * @param offset of the header.
     * @return the payload length in bytes.
     */
    public static int payloadLength(final DirectBuffer buffer, final int offset)
    {
        return buffer.getShort(offset + PAYLOAD_LENGTH_OFFSET, BIG_ENDIAN) & 0xFFFF;
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
     * @return the hop limit.
     */
    public static int hopLimit(final DirectBuffer buffer, final int offset)
    {
        return buffer.getByte(offset + HOP_LIMIT_OFFSET) & 0xFF;
    }

    /**
     * @param buffer holding the header.
     * @param offset of the header.
     * @return first 8 bytes of the source address.
     */
    public static long srcAddressHigh(final DirectBuffer buffer, final int offset)
    {
        return buffer.getLong(offset + SRC_ADDRESS_OFFSET, BIG_ENDIAN);
    }

    /**
     * @param buffer holding the header.
     * @param offset of the header.
     * @return last 8 bytes of the source address.
     */
    public static long srcAddressLow(final DirectBuffer buffer, final int offset)
    {
        return buffer.getLong(offset + SRC_ADDRESS_OFFSET + 8, BIG_ENDIAN);
    }

    /**
     * @param buffer holding the header.
     * @param offset of the header.
     * @return first 8 bytes of the destination address.
     */
    public static long dstAddressHigh(final DirectBuffer buffer, final int offset)
    {
        return buffer.getLong(offset + DST_ADDRESS_OFFSET, BIG_ENDIAN);
    }

    /**
     * @param buffer holding the header.
     * @param offset of the header.
     * @return last 8 bytes of the destination address.
     */
    public static long dstAddressLow(final DirectBuffer buffer, final int offset)
    {
        return buffer.getLong(offset + DST_ADDRESS_OFFSET + 8, BIG_ENDIAN);
    }

    /**
     * @param buffer holding the header.
     * @param offset of the header.
     * @param value  new payload length.
     */
    public static void payloadLength(final MutableDirectBuffer buffer, final int offset, final int value)
    {
        buffer.putShort(offset + PAYLOAD_LENGTH_OFFSET, (short)value, BIG_ENDIAN);
    }

    /**
     * @param buffer holding the header.
     * @param offset of the header.
     * @param value  new next header.
     */
    public static void nextHeader(final MutableDirectBuffer buffer, final int offset, final int value)
    {
        buffer.putByte(offset + NEXT_HEADER_OFFSET, (byte)value);
    }

    /**
     * @param buffer holding the header.
     * @param offset of the header.
     * @param value  new hop limit.
     */
    public static void hopLimit(final MutableDirectBuffer buffer, final int offset, final int value)
    {
        buffer.putByte(offset + HOP_LIMIT_OFFSET, (byte)value);
    }

    /**
     * @param buffer holding the header.
     * @param offset of the header.
     * @param high   first 8 bytes of the new source address.
     * @param low    last 8 bytes of the new source address.
     */
    public static void srcAddress(final MutableDirectBuffer buffer, final int offset, final long high, final long low)
    {
        buffer.putLong(offset + SRC_ADDRESS_OFFSET, high, BIG_ENDIAN);
        buffer.putLong(offset + SRC_ADDRESS_OFFSET + 8, low, BIG_ENDIAN);
    }

    /**
     * @param buffer holding the header.
     * @param offset of the header.
     * @param high   first 8 bytes of the new destination address.
     * @param low    last 8 bytes of the new destination address.
     */
    public static void dstAddress(final MutableDirectBuffer buffer, final int offset, final long high, final long low)
    {
        buffer.putLong(offset + DST_ADDRESS_OFFSET, high, BIG_ENDIAN);
        buffer.putLong(offset + DST_ADDRESS_OFFSET + 8, low, BIG_ENDIAN);
    }

    /**
     * Write the fixed header.
     *
     * @param buffer        to write to.
     * @param offset        of the header.
     * @param trafficClass  8-bit traffic class.
     * @param flowLabel     20-bit flow label.
     * @param payloadLength bytes after the fixed header, extension headers included.
     * @param nextHeader    protocol number of the first extension header or the upper layer.
     * @param hopLimit      hop limit.
     * @param srcHigh       first 8 bytes of the source address.
     * @param srcLow        last 8 bytes of the source address.
     * @param dstHigh       first 8 bytes of the destination address.
     * @param dstLow        last 8 bytes of the destination address.
     * @return {@link #HEADER_LENGTH}.
     */
    public static int writeHeader(
        final MutableDirectBuffer buffer,
        final int offset,
        final int trafficClass,
        final int flowLabel,
        final int payloadLength,
        final int nextHeader,
        final int hopLimit,
        final long srcHigh,
        final long srcLow,
        final long dstHigh,
        final long dstLow)
    {
        final int word = (VERSION << 28) | ((trafficClass & 0xFF) << 20) | (flowLabel & FLOW_LABEL_MASK);
        buffer.putInt(offset + VERSION_CLASS_FLOW_OFFSET, word, BIG_ENDIAN);
        buffer.putShort(offset + PAYLOAD_LENGTH_OFFSET, (short)payloadLength, BIG_ENDIAN);
        buffer.putByte(offset + NEXT_HEADER_OFFSET, (byte)nextHeader);
        buffer.putByte(offset + HOP_LIMIT_OFFSET, (byte)hopLimit);
        srcAddress(buffer, offset, srcHigh, srcLow);
        dstAddress(buffer, offset, dstHigh, dstLow);
        return HEADER_LENGTH;
    }
}
