package io.flyover.dataplane.protocol;

import org.agrona.MutableDirectBuffer;

/**
 * Writes Flyover's encapsulation in front of an inner IP packet already in place:
 * <pre>
 * offset  length
 *      0      20  outer IPv4: no options, DF set, TTL {@link #OUTER_TTL}, protocol UDP, header checksum
 *     20       8  UDP: source port from the flow hash, destination 6081, checksum 0
 *     28       8  Geneve base header: version 0, C set, O on probes, protocol type, VNI = service id
 *     36      32  Flyover option, tag zero until {@link TunnelTag#writeTag} fills it
 *     68     ...  inner IP packet
 * </pre>
 * The UDP checksum is zero: RFC 8926 allows it over IPv4, the inner packet carries its own L4
 * checksum, and the tag authenticates the tunnel header and the inner flow fields, so a checksum
 * over the whole payload would cost a pass over every byte for no protection Flyover lacks.
 * <p>
 * The UDP source port is taken from the flow hash in the ephemeral range 49152..65535, as RFC 8926
 * recommends, so ECMP and RSS on the backbone spread flows while each flow keeps one path.
 * <p>
 * Stateless, zero allocation; any thread.
 */
public final class GeneveEncapsulator
{
    /** Outer IPv4 offset within the encapsulation. */
    public static final int OUTER_IPV4_OFFSET = 0;
    /** Outer UDP offset within the encapsulation. */
    public static final int OUTER_UDP_OFFSET = OuterHeaders.IPV4_HEADER_LENGTH;
    /** Geneve header offset within the encapsulation. */
    public static final int GENEVE_OFFSET = OUTER_UDP_OFFSET + OuterHeaders.UDP_HEADER_LENGTH;
    /** Flyover option offset within the encapsulation. */
    public static final int FLYOVER_OPTION_OFFSET = GENEVE_OFFSET + GeneveFlyweight.HEADER_LENGTH;
    /** Bytes added in front of the inner packet: 68. */
    public static final int ENCAP_LENGTH = FLYOVER_OPTION_OFFSET + FlyoverOptionFlyweight.LENGTH;
    /** Largest inner packet that fits an outer IPv4 packet. */
    public static final int MAX_INNER_LENGTH = 0xFFFF - ENCAP_LENGTH;
    /** Outer IPv4 TTL. */
    public static final int OUTER_TTL = 64;
    /** Lowest UDP source port used (start of the ephemeral range). */
    public static final int MIN_SOURCE_PORT = 0xC000;
    /** {@link #writeHeaders} result when the inner packet is too long for the outer IPv4 packet. */
    public static final int TOO_LONG = -1;

    private GeneveEncapsulator()
    {
    }

    /**
     * @param flowHash a hash of the inner flow (the symmetric flow hash keeps both directions on one
     *                 backbone path where the underlay hashes symmetrically too).
     * @return a UDP source port in 49152..65535.
     */
    public static int udpSourcePort(final int flowHash)
    {
        final int h = flowHash ^ (flowHash >>> 14) ^ (flowHash >>> 28);
        return MIN_SOURCE_PORT | (h & 0x3FFF);
    }

    /**
     * Writes outer IPv4, UDP, Geneve and the Flyover option (tag zero) at {@code offset}; the inner
     * packet must be at {@code offset + ENCAP_LENGTH}. Tag it next with {@link TunnelTag#writeTag}.
     *
     * @param buffer        to write to.
     * @param offset        where the outer IPv4 header starts.
     * @param innerLength   length of the inner packet.
     * @param outerSrcIpv4  outer source address (this POP), a.b.c.d as {@code a << 24 | ...}.
     * @param outerDstIpv4  outer destination address (the next POP).
     * @param udpSourcePort from {@link #udpSourcePort(int)}.
     * @param protocolType  {@link GeneveFlyweight#PROTOCOL_TYPE_IPV4} or {@link GeneveFlyweight#PROTOCOL_TYPE_IPV6}.
     * @param oam           true for a probe.
     * @param vni           the service id.
     * @param returnPath    the D bit.
     * @param hopIndex      the route slot the packet heads to.
     * @param hopLimit      relay forwards allowed.
     * @param keyId         key id for the tag.
     * @param route         packed route ({@link FlyoverRoute}).
     * @param sendTimeUs    microseconds on this POP's clock.
     * @return the whole packet length ({@code ENCAP_LENGTH + innerLength}), or {@link #TOO_LONG}
     * (nothing written).
     */
    public static int writeHeaders(
        final MutableDirectBuffer buffer,
        final int offset,
        final int innerLength,
        final int outerSrcIpv4,
        final int outerDstIpv4,
        final int udpSourcePort,
        final int protocolType,
        final boolean oam,
        final int vni,
        final boolean returnPath,
        final int hopIndex,
        final int hopLimit,
        final int keyId,
        final long route,
        final long sendTimeUs)
    {
        if (innerLength < 0 || innerLength > MAX_INNER_LENGTH)
        {
            return TOO_LONG;
        }
        final int totalLength = ENCAP_LENGTH + innerLength;
        OuterHeaders.writeIpv4(buffer, offset + OUTER_IPV4_OFFSET, totalLength, OUTER_TTL, outerSrcIpv4, outerDstIpv4);
        OuterHeaders.writeUdp(
            buffer, offset + OUTER_UDP_OFFSET, udpSourcePort, GeneveFlyweight.UDP_PORT, totalLength - OUTER_UDP_OFFSET);
        GeneveFlyweight.write(
            buffer, offset + GENEVE_OFFSET, FlyoverOptionFlyweight.LENGTH_WORDS_TOTAL, oam, protocolType, vni);
        FlyoverOptionFlyweight.write(
            buffer, offset + FLYOVER_OPTION_OFFSET, returnPath, hopIndex, hopLimit, keyId, route, sendTimeUs);
        return totalLength;
    }
}
