package io.flyover.dataplane.protocol;

import java.nio.ByteOrder;

import org.agrona.DirectBuffer;
import org.agrona.MutableDirectBuffer;

/**
 * The Flyover Geneve option: 32 bytes, its 4-byte Geneve option header included. Class 0xFFF0
 * (experimental use), type 0x81 (critical bit + type 1), length 7 words of data.
 * <pre>
 *  0                   1                   2                   3
 *  0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
 * +-------------------------------+-------------------------------+
 * |  Option Class = 0xFFF0        |C| Type = 0x01 |R|R|R| Len = 7 |   0
 * +-------+-+-----+---------------+---------------+---------------+
 * |  Ver  |D| Rsv |   Hop index   |   Hop limit   |    Key id     |   4
 * +-------+-+-----+---------------+---------------+---------------+
 * |          Ingress POP          |            Hop 1              |   8
 * +-------------------------------+-------------------------------+
 * |             Hop 2             |            Hop 3              |  12
 * +-------------------------------+-------------------------------+
 * |            Send time, microseconds, sender's clock (64)       |  16
 * +                                                               +
 * |                                                               |
 * +---------------------------------------------------------------+
 * |                Tag: SipHash-2-4, 64 bits                      |  24
 * +                                                               +
 * |                                                               |
 * +---------------------------------------------------------------+
 * </pre>
 * <ul>
 *   <li>Ver: {@link #VERSION}. D: 0 toward the egress POP, 1 on the way back. Rsv: zero.</li>
 *   <li>Hop index: the route slot (0 = ingress POP .. 3 = Hop 3) the packet is heading to; see
 *       {@link FlyoverRoute} for the route and the valid range per direction.</li>
 *   <li>Hop limit: relay forwards still allowed; each relay decrements it (a loop guard).</li>
 *   <li>Key id: names the backbone key of the tag ({@link TunnelKeys}).</li>
 *   <li>Route: ingress POP, Hop 1..3, 16 bits each; read together as one packed {@code long}.</li>
 *   <li>Send time: microseconds on the sender's clock, for RTT and jitter; not a replay defence.</li>
 *   <li>Tag: SipHash-2-4 over the bytes {@link TunnelTag} lists, stored big-endian.</li>
 * </ul>
 * All offsets are relative to the first byte of the option (its class), all fields are in network
 * byte order. Static accessors over an Agrona buffer; validate with {@link GeneveParser} first.
 * Stateless; any thread.
 */
public final class FlyoverOptionFlyweight
{
    /** Option class: experimental use (RFC 8926 registry range 0xFFF0..0xFFFF). */
    public static final int OPTION_CLASS = 0xFFF0;
    /** Option type: critical bit set, type 1. */
    public static final int OPTION_TYPE = 0x81;
    /** Option data length in 4-byte words, header excluded. */
    public static final int LENGTH_WORDS = 7;
    /** Whole option length in 4-byte words, header included. */
    public static final int LENGTH_WORDS_TOTAL = LENGTH_WORDS + 1;
    /** Whole option length in bytes, header included. */
    public static final int LENGTH = LENGTH_WORDS_TOTAL * 4;
    /** The first 4 bytes of a valid option, read big-endian as an int. */
    public static final int OPTION_HEADER_WORD = (OPTION_CLASS << 16) | (OPTION_TYPE << 8) | LENGTH_WORDS;

    /** Offset of the option class. */
    public static final int CLASS_OFFSET = GeneveFlyweight.OPTION_CLASS_OFFSET;
    /** Offset of the option type. */
    public static final int TYPE_OFFSET = GeneveFlyweight.OPTION_TYPE_OFFSET;
    /** Offset of the option length byte. */
    public static final int LENGTH_OFFSET = GeneveFlyweight.OPTION_LENGTH_OFFSET;
    /** Offset of the byte holding Ver (high 4 bits), D and 3 reserved bits. */
    public static final int VERSION_FLAGS_OFFSET = 4;
    /** Offset of the hop index. */
    public static final int HOP_INDEX_OFFSET = 5;
    /** Offset of the hop limit. */
    public static final int HOP_LIMIT_OFFSET = 6;
    /** Offset of the key id. */
    public static final int KEY_ID_OFFSET = 7;
    /** Offset of the route: four 16-bit POP ids. */
    public static final int ROUTE_OFFSET = 8;
    /** Offset of the ingress POP (route slot 0). */
    public static final int INGRESS_POP_OFFSET = 8;
    /** Offset of Hop 1. */
    public static final int HOP1_OFFSET = 10;
    /** Offset of Hop 2. */
    public static final int HOP2_OFFSET = 12;
    /** Offset of Hop 3. */
    public static final int HOP3_OFFSET = 14;
    /** Offset of the 64-bit send time in microseconds. */
    public static final int SEND_TIME_US_OFFSET = 16;
    /** Offset of the 64-bit tag. */
    public static final int TAG_OFFSET = 24;
    /** Bytes of the option before the tag: the part the tag covers. */
    public static final int COVERED_LENGTH = TAG_OFFSET;

    /** The option format version. */
    public static final int VERSION = 1;
    /** D bit in the version/flags byte. */
    public static final int FLAG_RETURN = 0x08;
    /** Default hop limit set by the POP that encapsulates. */
    public static final int DEFAULT_HOP_LIMIT = 8;

    /** {@link #advanceHop} result: the packet is already heading to the end of its route. */
    public static final int NO_NEXT_HOP = -1;
    /** {@link #advanceHop} result: the hop limit is zero. */
    public static final int HOP_LIMIT_SPENT = -2;

    private FlyoverOptionFlyweight()
    {
    }

    /**
     * @param buffer holding the option.
     * @param offset of the option.
     * @return the Flyover option version, 0..15.
     */
    public static int version(final DirectBuffer buffer, final int offset)
    {
        return (buffer.getByte(offset + VERSION_FLAGS_OFFSET) & 0xFF) >>> 4;
    }

    /**
     * @param buffer holding the option.
     * @param offset of the option.
     * @return the D bit: true on the way back from the egress POP.
     */
    public static boolean returnPath(final DirectBuffer buffer, final int offset)
    {
        return (buffer.getByte(offset + VERSION_FLAGS_OFFSET) & FLAG_RETURN) != 0;
    }

    /**
     * @param buffer holding the option.
     * @param offset of the option.
     * @return the hop index, 0..255.
     */
    public static int hopIndex(final DirectBuffer buffer, final int offset)
    {
        return buffer.getByte(offset + HOP_INDEX_OFFSET) & 0xFF;
    }

    /**
     * @param buffer holding the option.
     * @param offset of the option.
     * @return the hop limit, 0..255.
     */
    public static int hopLimit(final DirectBuffer buffer, final int offset)
    {
        return buffer.getByte(offset + HOP_LIMIT_OFFSET) & 0xFF;
    }

    /**
     * @param buffer holding the option.
     * @param offset of the option.
     * @return the key id, 0..255.
     */
    public static int keyId(final DirectBuffer buffer, final int offset)
    {
        return buffer.getByte(offset + KEY_ID_OFFSET) & 0xFF;
    }

    /**
     * @param buffer holding the option.
     * @param offset of the option.
     * @return the route, packed as {@link FlyoverRoute} describes.
     */
    public static long route(final DirectBuffer buffer, final int offset)
    {
        return buffer.getLong(offset + ROUTE_OFFSET, ByteOrder.BIG_ENDIAN);
    }

    /**
     * @param buffer holding the option.
     * @param offset of the option.
     * @param slot   0 (ingress POP) .. 3 (Hop 3).
     * @return the POP id in that route slot.
     */
    public static int routePop(final DirectBuffer buffer, final int offset, final int slot)
    {
        return buffer.getShort(offset + ROUTE_OFFSET + (slot << 1), ByteOrder.BIG_ENDIAN) & 0xFFFF;
    }

    /**
     * @param buffer holding the option.
     * @param offset of the option.
     * @return the POP the packet is heading to: the route slot named by the hop index (which must
     * have been validated).
     */
    public static int nextPop(final DirectBuffer buffer, final int offset)
    {
        return routePop(buffer, offset, hopIndex(buffer, offset));
    }

    /**
     * @param buffer holding the option.
     * @param offset of the option.
     * @return the send time in microseconds on the sender's clock.
     */
    public static long sendTimeUs(final DirectBuffer buffer, final int offset)
    {
        return buffer.getLong(offset + SEND_TIME_US_OFFSET, ByteOrder.BIG_ENDIAN);
    }

    /**
     * @param buffer holding the option.
     * @param offset of the option.
     * @return the tag.
     */
    public static long tag(final DirectBuffer buffer, final int offset)
    {
        return buffer.getLong(offset + TAG_OFFSET, ByteOrder.BIG_ENDIAN);
    }

    /**
     * @param buffer   to write to.
     * @param offset   of the option.
     * @param hopIndex 0..255.
     */
    public static void hopIndex(final MutableDirectBuffer buffer, final int offset, final int hopIndex)
    {
        buffer.putByte(offset + HOP_INDEX_OFFSET, (byte)hopIndex);
    }

    /**
     * @param buffer   to write to.
     * @param offset   of the option.
     * @param hopLimit 0..255.
     */
    public static void hopLimit(final MutableDirectBuffer buffer, final int offset, final int hopLimit)
    {
        buffer.putByte(offset + HOP_LIMIT_OFFSET, (byte)hopLimit);
    }

    /**
     * @param buffer to write to.
     * @param offset of the option.
     * @param keyId  0..255.
     */
    public static void keyId(final MutableDirectBuffer buffer, final int offset, final int keyId)
    {
        buffer.putByte(offset + KEY_ID_OFFSET, (byte)keyId);
    }

    /**
     * @param buffer     to write to.
     * @param offset     of the option.
     * @param sendTimeUs microseconds on the sender's clock.
     */
    public static void sendTimeUs(final MutableDirectBuffer buffer, final int offset, final long sendTimeUs)
    {
        buffer.putLong(offset + SEND_TIME_US_OFFSET, sendTimeUs, ByteOrder.BIG_ENDIAN);
    }

    /**
     * @param buffer to write to.
     * @param offset of the option.
     * @param tag    the tag.
     */
    public static void tag(final MutableDirectBuffer buffer, final int offset, final long tag)
    {
        buffer.putLong(offset + TAG_OFFSET, tag, ByteOrder.BIG_ENDIAN);
    }

    /**
     * Writes a whole option: header, Ver = 1, D, hop index, hop limit, key id, route, send time and
     * a zero tag (compute it with {@link TunnelTag} once the inner packet is in place).
     *
     * @param buffer     to write to.
     * @param offset     of the option.
     * @param returnPath the D bit.
     * @param hopIndex   the route slot the packet heads to.
     * @param hopLimit   relay forwards allowed.
     * @param keyId      key id of the tag.
     * @param route      packed route, see {@link FlyoverRoute}.
     * @param sendTimeUs microseconds on the sender's clock.
     */
    public static void write(
        final MutableDirectBuffer buffer,
        final int offset,
        final boolean returnPath,
        final int hopIndex,
        final int hopLimit,
        final int keyId,
        final long route,
        final long sendTimeUs)
    {
        buffer.putInt(offset, OPTION_HEADER_WORD, ByteOrder.BIG_ENDIAN);
        final int versionFlags = (VERSION << 4) | (returnPath ? FLAG_RETURN : 0);
        buffer.putInt(
            offset + VERSION_FLAGS_OFFSET,
            (versionFlags << 24) | ((hopIndex & 0xFF) << 16) | ((hopLimit & 0xFF) << 8) | (keyId & 0xFF),
            ByteOrder.BIG_ENDIAN);
        buffer.putLong(offset + ROUTE_OFFSET, route, ByteOrder.BIG_ENDIAN);
        buffer.putLong(offset + SEND_TIME_US_OFFSET, sendTimeUs, ByteOrder.BIG_ENDIAN);
        buffer.putLong(offset + TAG_OFFSET, 0L, ByteOrder.BIG_ENDIAN);
    }

    /**
     * Relay step: moves the hop index one slot along the route in the packet's direction and
     * decrements the hop limit. The tag is then stale: re-tag with {@link TunnelTag#writeTag}.
     * Writes nothing when it returns a negative sentinel.
     *
     * @param buffer holding a validated option.
     * @param offset of the option.
     * @return the new hop index, or {@link #NO_NEXT_HOP} if the packet already heads to the end of
     * its route, or {@link #HOP_LIMIT_SPENT} if the hop limit is zero.
     */
    public static int advanceHop(final MutableDirectBuffer buffer, final int offset)
    {
        final boolean returnPath = returnPath(buffer, offset);
        final int next = hopIndex(buffer, offset) + (returnPath ? -1 : 1);
        if (!FlyoverRoute.isValidHopIndex(route(buffer, offset), returnPath, next))
        {
            return NO_NEXT_HOP;
        }
        final int hopLimit = hopLimit(buffer, offset);
        if (0 == hopLimit)
        {
            return HOP_LIMIT_SPENT;
        }
        hopLimit(buffer, offset, hopLimit - 1);
        hopIndex(buffer, offset, next);
        return next;
    }
}
