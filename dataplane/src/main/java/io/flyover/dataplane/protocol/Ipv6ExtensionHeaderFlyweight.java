package io.flyover.dataplane.protocol;

import org.agrona.DirectBuffer;
import org.agrona.MutableDirectBuffer;

/**
 * The common shape of IPv6 hop-by-hop options, routing and destination options headers (RFC 8200):
 * a next header, a length in 8-byte units not counting the first 8, then data.
 * <pre>
 *  0                   1                   2                   3
 *  0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
 * +---------------+---------------+-------------------------------+
 * |  Next Header  |  Hdr Ext Len  |                               |
 * +---------------+---------------+                               +
 * |          Options (TLVs), or for routing: Routing Type,        |
 * |          Segments Left, type-specific data                    |
 * +---------------------------------------------------------------+
 * </pre>
 * The fragment header ({@link Ipv6FragmentHeaderFlyweight}, fixed 8 bytes) and the authentication header
 * ({@link AuthenticationHeaderFlyweight}, length in 4-byte units) share the next-header byte but not
 * the length rule; {@link #headerLength(DirectBuffer, int, int)} knows all three.
 * <p>
 * Stateless, static accessors over (buffer, offset of the extension header): any thread.
 */
public final class Ipv6ExtensionHeaderFlyweight
{
    /**
     * Offset of the next header.
     */
    public static final int NEXT_HEADER_OFFSET = 0;

    /**
     * Offset of the length byte.
     */
    public static final int LENGTH_OFFSET = 1;

    /**
     * Offset of the routing type in a routing header.
     */
    public static final int ROUTING_TYPE_OFFSET = 2;

    /**
     * Offset of segments left in a routing header.
     */
    public static final int SEGMENTS_LEFT_OFFSET = 3;

    /**
     * Offset of the first option in a hop-by-hop or destination options header.
     */
    public static final int OPTIONS_OFFSET = 2;

    /**
     * Every extension header is at least this long, and a multiple of it (AH in IPv6 included).
     */
    public static final int MIN_HEADER_LENGTH = 8;

    /**
     * Longest options or routing header: (255 + 1) * 8 bytes.
     */
    public static final int MAX_HEADER_LENGTH = 2048;

    /**
     * Pad1 option type: a single zero byte.
     */
    public static final int OPTION_PAD1 = 0;

    /**
     * PadN option type: type, length, then length zero bytes.
     */
    public static final int OPTION_PADN = 1;

    private Ipv6ExtensionHeaderFlyweight()
    {
    }

    /**
     * @param protocol a next-header value.
     * @return true if it names an extension header Flyover walks past: hop-by-hop, routing, fragment,
     * destination options or authentication header.
     */
    public static boolean isExtensionHeader(final int protocol)
    {
        return IpProtocol.HOP_BY_HOP == protocol ||
            IpProtocol.IPV6_ROUTING == protocol ||
            IpProtocol.IPV6_FRAGMENT == protocol ||
            IpProtocol.IPV6_DESTINATION_OPTIONS == protocol ||
            IpProtocol.AH == protocol;
    }

    /**
     * @param buffer holding the extension header.
     * @param offset of the extension header.
     * @return the next header.
     */
    public static int nextHeader(final DirectBuffer buffer, final int offset)
    {
        return buffer.getByte(offset + NEXT_HEADER_OFFSET) & 0xFF;
    }

    /**
     * @param buffer holding the extension header.
     * @param offset of the extension header.
     * @return the raw length byte.
     */
    public static int lengthField(final DirectBuffer buffer, final int offset)
    {
        return buffer.getByte(offset + LENGTH_OFFSET) & 0xFF;
    }

    /**
     * Length in bytes of an extension header of the given type: 8 for a fragment header,
     * (len + 2) * 4 for an authentication header, (len + 1) * 8 otherwise.
     *
     * @param buffer holding the extension header.
     * @param offset of the extension header.
     * @param type   the protocol number that named this header.
     * @return the header's length in bytes.
     */
    public static int headerLength(final DirectBuffer buffer, final int offset, final int type)
    {
        if (IpProtocol.IPV6_FRAGMENT == type)
        {
            return Ipv6FragmentHeaderFlyweight.HEADER_LENGTH;
        }

        final int length = lengthField(buffer, offset);
        return IpProtocol.AH == type ? (length + 2) << 2 : (length + 1) << 3;
    }

    /**
     * @param buffer holding a routing header.
     * @param offset of the routing header.
     * @return the routing type.
     */
    public static int routingType(final DirectBuffer buffer, final int offset)
    {
        return buffer.getByte(offset + ROUTING_TYPE_OFFSET) & 0xFF;
    }

    /**
     * @param buffer holding a routing header.
     * @param offset of the routing header.
     * @return segments left.
     */
    public static int segmentsLeft(final DirectBuffer buffer, final int offset)
    {
        return buffer.getByte(offset + SEGMENTS_LEFT_OFFSET) & 0xFF;
    }

    /**
     * Write a hop-by-hop or destination options header holding only padding (one PadN option, or Pad1
     * where 1 byte is left).
     *
     * @param buffer       to write to.
     * @param offset       of the header.
     * @param nextHeader   protocol number of what follows.
     * @param headerLength total length in bytes: a multiple of 8, 8 to 2048.
     * @return headerLength.
     * @throws IllegalArgumentException if the length is not a multiple of 8 in range.
     */
    public static int writeOptionsHeader(
        final MutableDirectBuffer buffer, final int offset, final int nextHeader, final int headerLength)
    {
        checkLength(headerLength);
        buffer.putByte(offset + NEXT_HEADER_OFFSET, (byte)nextHeader);
        buffer.putByte(offset + LENGTH_OFFSET, (byte)((headerLength >>> 3) - 1));

        final int padLength = headerLength - OPTIONS_OFFSET;
        int index = offset + OPTIONS_OFFSET;
        int remaining = padLength;
        while (remaining > 0)
        {
            if (1 == remaining)
            {
                buffer.putByte(index, (byte)OPTION_PAD1);
                remaining = 0;
            }
            else
            {
                final int dataLength = Math.min(remaining - 2, 255);
                buffer.putByte(index, (byte)OPTION_PADN);
                buffer.putByte(index + 1, (byte)dataLength);
                buffer.setMemory(index + 2, dataLength, (byte)0);
                index += dataLength + 2;
                remaining -= dataLength + 2;
            }
        }

        return headerLength;
    }

    /**
     * Write a routing header; the type-specific data, from byte 4 to the end, is zeroed.
     *
     * @param buffer       to write to.
     * @param offset       of the header.
     * @param nextHeader   protocol number of what follows.
     * @param routingType  routing type.
     * @param segmentsLeft segments left.
     * @param headerLength total length in bytes: a multiple of 8, 8 to 2048.
     * @return headerLength.
     * @throws IllegalArgumentException if the length is not a multiple of 8 in range.
     */
    public static int writeRoutingHeader(
        final MutableDirectBuffer buffer,
        final int offset,
        final int nextHeader,
        final int routingType,
        final int segmentsLeft,
        final int headerLength)
    {
        checkLength(headerLength);
        buffer.putByte(offset + NEXT_HEADER_OFFSET, (byte)nextHeader);
        buffer.putByte(offset + LENGTH_OFFSET, (byte)((headerLength >>> 3) - 1));
        buffer.putByte(offset + ROUTING_TYPE_OFFSET, (byte)routingType);
        buffer.putByte(offset + SEGMENTS_LEFT_OFFSET, (byte)segmentsLeft);
        buffer.setMemory(offset + 4, headerLength - 4, (byte)0);
        return headerLength;
    }

    private static void checkLength(final int headerLength)
    {
        if (headerLength < MIN_HEADER_LENGTH || headerLength > MAX_HEADER_LENGTH || 0 != (headerLength & 7))
        {
            throw new IllegalArgumentException("extension header length must be a multiple of 8 in 8..2048: " +
                headerLength);
        }
    }
}
