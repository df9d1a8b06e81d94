package io.flyover.dataplane.protocol;

import java.nio.ByteOrder;

import org.agrona.DirectBuffer;

/**
 * Validates a Flyover Geneve tunnel header: the Geneve base header, every option, and the Flyover
 * option's own fields. Input starts at the Geneve header (after the outer UDP header) and ends at
 * the end of the captured bytes; the parser never reads outside {@code [offset, offset + length)},
 * never throws on malformed input, and allocates nothing. It does not look inside the inner packet
 * beyond the IP version nibble of its first byte and does not verify the tag (see {@link TunnelTag}).
 * <p>
 * Checks, in this order; the first fault found is the verdict:
 * <ol>
 *   <li>{@link ParseVerdict#GENEVE_TRUNCATED}: fewer than 8 bytes.</li>
 *   <li>{@link ParseVerdict#GENEVE_BAD_VERSION}: Ver is not 0.</li>
 *   <li>{@link ParseVerdict#GENEVE_OPTION_OVERRUN}: Opt Len reaches past the captured bytes.</li>
 *   <li>{@link ParseVerdict#GENEVE_PROTOCOL_UNSUPPORTED}: protocol type neither 0x0800 nor 0x86DD.</li>
 *   <li>Walking every option in order:
 *     <ul>
 *       <li>{@link ParseVerdict#GENEVE_OPTION_OVERRUN}: an option header, or its data, reaches past
 *           the option area;</li>
 *       <li>{@link ParseVerdict#FLYOVER_OPTION_BAD_LENGTH}: class 0xFFF0 type 0x81 with a length
 *           other than 7;</li>
 *       <li>{@link ParseVerdict#FLYOVER_OPTION_DUPLICATE}: a second Flyover option;</li>
 *       <li>{@link ParseVerdict#GENEVE_UNKNOWN_CRITICAL_OPTION}: any other option with its critical
 *           bit set (RFC 8926: a receiver must drop what it cannot interpret). Unknown
 *           non-critical options are skipped.</li>
 *     </ul></li>
 *   <li>{@link ParseVerdict#FLYOVER_OPTION_MISSING}: no Flyover option.</li>
 *   <li>{@link ParseVerdict#GENEVE_CRITICAL_FLAG_MISSING}: C bit clear although the (critical)
 *       Flyover option is present.</li>
 *   <li>{@link ParseVerdict#FLYOVER_OPTION_BAD_VERSION}: option Ver is not 1.</li>
 *   <li>{@link ParseVerdict#FLYOVER_OPTION_BAD_ROUTE}: ingress POP or Hop 1 unused, or a gap.</li>
 *   <li>{@link ParseVerdict#FLYOVER_OPTION_BAD_HOP_INDEX}: hop index outside the route for the
 *       direction (forward 1..last, return 0..last-1).</li>
 *   <li>{@link ParseVerdict#GENEVE_INNER_VERSION_MISMATCH}: the inner packet's first byte is present
 *       and its IP version nibble is not the one the protocol type names. {@link TunnelTag} reads the
 *       inner addresses where the protocol type says they are, so a packet typed IPv6 carrying a
 *       short IPv4 packet would make it read past the packet.</li>
 * </ol>
 * Reserved bits are ignored on receipt, as RFC 8926 asks. The hop limit is the relay's concern
 * ({@link FlyoverOptionFlyweight#advanceHop}). Stateless; any thread.
 */
public final class GeneveParser
{
    private static final int MISSING = 1;
    private static final int OVERRUN = 2;
    private static final int BAD_LENGTH = 3;
    private static final int DUPLICATE = 4;
    private static final int UNKNOWN_CRITICAL = 5;
    private static final ParseVerdict[] VERDICTS = {
        null,
        ParseVerdict.FLYOVER_OPTION_MISSING,
        ParseVerdict.GENEVE_OPTION_OVERRUN,
        ParseVerdict.FLYOVER_OPTION_BAD_LENGTH,
        ParseVerdict.FLYOVER_OPTION_DUPLICATE,
        ParseVerdict.GENEVE_UNKNOWN_CRITICAL_OPTION,
    };

    private GeneveParser()
    {
    }

    /**
     * @param buffer holding the packet.
     * @param offset of the Geneve base header.
     * @param length captured bytes from {@code offset} to the end of the packet.
     * @param out    filled on {@link ParseVerdict#OK}; unspecified otherwise.
     * @return {@link ParseVerdict#OK} or the first fault found.
     */
    public static ParseVerdict parse(
        final DirectBuffer buffer, final int offset, final int length, final ParsedTunnel out)
    {
        if (length < GeneveFlyweight.HEADER_LENGTH)
        {
            return ParseVerdict.GENEVE_TRUNCATED;
        }

        final int word0 = buffer.getInt(offset, ByteOrder.BIG_ENDIAN);
        if ((word0 >>> 30) != GeneveFlyweight.VERSION)
        {
            return ParseVerdict.GENEVE_BAD_VERSION;
        }

        final int optionsLength = ((word0 >>> 24) & GeneveFlyweight.MAX_OPT_LEN_WORDS) << 2;
        final int headerLength = GeneveFlyweight.HEADER_LENGTH + optionsLength;
        if (headerLength > length)
        {
            return ParseVerdict.GENEVE_OPTION_OVERRUN;
        }

        final int protocolType = word0 & 0xFFFF;
        if (GeneveFlyweight.PROTOCOL_TYPE_IPV4 != protocolType && GeneveFlyweight.PROTOCOL_TYPE_IPV6 != protocolType)
        {
            return ParseVerdict.GENEVE_PROTOCOL_UNSUPPORTED;
        }

        final int optionsEnd = offset + headerLength;
        final int flyoverOffset;
        if (FlyoverOptionFlyweight.LENGTH == optionsLength &&
            FlyoverOptionFlyweight.OPTION_HEADER_WORD == buffer.getInt(offset + GeneveFlyweight.OPTIONS_OFFSET, ByteOrder.BIG_ENDIAN))
        {
            // Fast path: Flyover's option alone, as Flyover sends it.
            flyoverOffset = offset + GeneveFlyweight.OPTIONS_OFFSET;
        }
        else
        {
            flyoverOffset = walkOptions(buffer, offset + GeneveFlyweight.OPTIONS_OFFSET, optionsEnd);
            if (flyoverOffset < 0)
            {
                return VERDICTS[-flyoverOffset];
            }
        }

        if (((word0 >>> 16) & GeneveFlyweight.FLAG_CRITICAL) == 0)
        {
            return ParseVerdict.GENEVE_CRITICAL_FLAG_MISSING;
        }

        final int fields = buffer.getInt(flyoverOffset + FlyoverOptionFlyweight.VERSION_FLAGS_OFFSET, ByteOrder.BIG_ENDIAN);
        if ((fields >>> 28) != FlyoverOptionFlyweight.VERSION)
        {
            return ParseVerdict.FLYOVER_OPTION_BAD_VERSION;
        }
        final long route = buffer.getLong(flyoverOffset + FlyoverOptionFlyweight.ROUTE_OFFSET, ByteOrder.BIG_ENDIAN);
        final int lastSlot = FlyoverRoute.lastSlot(route);
        if (FlyoverRoute.INVALID == lastSlot)
        {
            return ParseVerdict.FLYOVER_OPTION_BAD_ROUTE;
        }
        // Forward packets head to slots 1..last, return packets to last-1..0: one range test.
        final int returnPath = ((fields >>> 24) & FlyoverOptionFlyweight.FLAG_RETURN) >>> 3;
        final int hopIndex = ((fields >>> 16) & 0xFF) + returnPath;
        if (hopIndex < 1 || hopIndex > lastSlot)
        {
            return ParseVerdict.FLYOVER_OPTION_BAD_HOP_INDEX;
        }

        if (length > headerLength &&
            ((buffer.getByte(optionsEnd) & 0xFF) >>> 4) != (GeneveFlyweight.PROTOCOL_TYPE_IPV6 == protocolType ? 6 : 4))
        {
            return ParseVerdict.GENEVE_INNER_VERSION_MISMATCH;
        }

        out.geneveOffset = offset;
        out.flyoverOptionOffset = flyoverOffset;
        out.innerOffset = optionsEnd;
        out.innerLength = length - headerLength;
        out.protocolType = protocolType;
        out.vni = buffer.getInt(offset + GeneveFlyweight.VNI_OFFSET, ByteOrder.BIG_ENDIAN) >>> 8;
        out.oam = ((word0 >>> 16) & GeneveFlyweight.FLAG_OAM) != 0;
        return ParseVerdict.OK;
    }

    /**
     * Walks every option in {@code [start, optionsEnd)}.
     *
     * @return the offset of the one Flyover option, or minus the index in {@link #VERDICTS} of
     * the fault found (never 0: index 0 is unused).
     */
    private static int walkOptions(final DirectBuffer buffer, final int start, final int optionsEnd)
    {
        int flyoverOffset = -MISSING;
        int at = start;
        while (at < optionsEnd)
        {
            if (optionsEnd - at < GeneveFlyweight.OPTION_HEADER_LENGTH)
            {
                return -OVERRUN;
            }
            final int optionHeader = buffer.getInt(at, ByteOrder.BIG_ENDIAN);
            final int optionClass = optionHeader >>> 16;
            final int optionType = (optionHeader >>> 8) & 0xFF;
            final int dataLength = (optionHeader & GeneveFlyweight.OPTION_LENGTH_MASK) << 2;
            final boolean flyover = FlyoverOptionFlyweight.OPTION_CLASS == optionClass &&
                FlyoverOptionFlyweight.OPTION_TYPE == optionType;

            if (flyover && FlyoverOptionFlyweight.LENGTH_WORDS << 2 != dataLength)
            {
                return -BAD_LENGTH;
            }
            if (dataLength > optionsEnd - at - GeneveFlyweight.OPTION_HEADER_LENGTH)
            {
                return -OVERRUN;
            }
            if (flyover)
            {
                if (flyoverOffset >= 0)
                {
                    return -DUPLICATE;
                }
                flyoverOffset = at;
            }
            else if ((optionType & GeneveFlyweight.OPTION_TYPE_CRITICAL) != 0)
            {
                return -UNKNOWN_CRITICAL;
            }
            at += GeneveFlyweight.OPTION_HEADER_LENGTH + dataLength;
        }
        return flyoverOffset;
    }
}
