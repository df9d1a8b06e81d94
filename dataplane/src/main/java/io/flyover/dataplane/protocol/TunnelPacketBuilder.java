package io.flyover.dataplane.protocol;

import org.agrona.DirectBuffer;
import org.agrona.MutableDirectBuffer;

/**
 * Builds a whole Flyover tunnel packet (outer IPv4, UDP, Geneve, Flyover option, inner IP packet)
 * by copying an inner packet behind {@link GeneveEncapsulator}'s headers and tagging it. For tests,
 * tools and control-plane senders (probes); the forwarding path prepends headers in place with
 * {@link GeneveEncapsulator#writeHeaders} and {@link TunnelTag#writeTag} instead.
 * <p>
 * Fluent setters with defaults; a builder is reusable and {@link #build} allocates nothing. Unless
 * set explicitly, the Geneve protocol type follows the inner packet's IP version, the hop index is
 * the route's first for the direction, and the inner L4 protocol and offset are found from the
 * inner IPv4 header (IHL) or, for IPv6, from the fixed header's next header with no extension
 * headers walked (set {@link #innerFlow} for packets with extension headers). If the keys hold no
 * key for the key id, the tag is left zero.
 * <p>
 * Mutable; owned by one thread.
 */
public final class TunnelPacketBuilder
{
    private static final int AUTO = -1;

    private int outerSrcIpv4 = 0xC000_0201; // 192.0.2.1
    private int outerDstIpv4 = 0xC633_6401; // 198.51.100.1
    private int flowHash;
    private int protocolType = AUTO;
    private boolean oam;
    private int vni = 1;
    private boolean returnPath;
    private int hopIndex = AUTO;
    private int hopLimit = FlyoverOptionFlyweight.DEFAULT_HOP_LIMIT;
    private int keyId = 1;
    private long route = FlyoverRoute.pack(1, 2, FlyoverRoute.UNUSED, FlyoverRoute.UNUSED);
    private long sendTimeUs;
    private TunnelKeys keys = TunnelKeys.empty();
    private int innerProtocol = AUTO;
    private int innerL4Offset = AUTO;

    /**
     * @param srcIpv4 outer source address, a.b.c.d as {@code a << 24 | ...}.
     * @param dstIpv4 outer destination address.
     * @return this.
     */
    public TunnelPacketBuilder outerAddresses(final int srcIpv4, final int dstIpv4)
    {
        this.outerSrcIpv4 = srcIpv4;
        this.outerDstIpv4 = dstIpv4;
        return this;
    }

    /**
     * @param flowHash the flow hash the UDP source port derives from.
     * @return this.
     */
    public TunnelPacketBuilder flowHash(final int flowHash)
    {
        this.flowHash = flowHash;
        return this;
    }

    /**
     * @param protocolType Geneve protocol type to write, overriding the inner IP version.
     * @return this.
     */
    public TunnelPacketBuilder protocolType(final int protocolType)
    {
        this.protocolType = protocolType;
        return this;
    }

    /**
     * @param oam the O bit (probe).
     * @return this.
     */
    public TunnelPacketBuilder oam(final boolean oam)
    {
        this.oam = oam;
        return this;
    }

    /**
     * @param vni the service id.
     * @return this.
     */
    public TunnelPacketBuilder vni(final int vni)
    {
        this.vni = vni;
        return this;
    }

    /**
     * @param returnPath the D bit.
     * @return this.
     */
    public TunnelPacketBuilder returnPath(final boolean returnPath)
    {
        this.returnPath = returnPath;
        return this;
    }

    /**
     * @param hopIndex the hop index to write, overriding the route's first hop.
     * @return this.
     */
    public TunnelPacketBuilder hopIndex(final int hopIndex)
    {
        this.hopIndex = hopIndex;
        return this;
    }

    /**
     * @param hopLimit relay forwards allowed.
     * @return this.
     */
    public TunnelPacketBuilder hopLimit(final int hopLimit)
    {
        this.hopLimit = hopLimit;
        return this;
    }

    /**
     * @param keyId key id for the tag.
     * @return this.
     */
    public TunnelPacketBuilder keyId(final int keyId)
    {
        this.keyId = keyId;
        return this;
    }

    /**
     * @param route packed route, see {@link FlyoverRoute}.
     * @return this.
     */
    public TunnelPacketBuilder route(final long route)
    {
        this.route = route;
        return this;
    }

    /**
     * @param sendTimeUs microseconds on the sender's clock.
     * @return this.
     */
    public TunnelPacketBuilder sendTimeUs(final long sendTimeUs)
    {
        this.sendTimeUs = sendTimeUs;
        return this;
    }

    /**
     * @param keys keys to tag with.
     * @return this.
     */
    public TunnelPacketBuilder keys(final TunnelKeys keys)
    {
        this.keys = keys;
        return this;
    }

    /**
     * @param protocol        inner L4 protocol as the tag should see it.
     * @param l4OffsetInInner offset of the inner L4 header from the start of the inner packet.
     * @return this.
     */
    public TunnelPacketBuilder innerFlow(final int protocol, final int l4OffsetInInner)
    {
        this.innerProtocol = protocol;
        this.innerL4Offset = l4OffsetInInner;
        return this;
    }

    /**
     * Copies the inner packet to {@code dst + dstOffset + ENCAP_LENGTH}, writes the headers in
     * front of it and tags it.
     *
     * @param dst         to build into; needs {@code ENCAP_LENGTH + innerLength} bytes at dstOffset.
     * @param dstOffset   where the outer IPv4 header goes.
     * @param inner       holding the inner IP packet.
     * @param innerOffset of the inner packet.
     * @param innerLength of the inner packet, at least 1 byte.
     * @return the whole packet length.
     * @throws IllegalArgumentException if the inner packet is empty or too long.
     */
    public int build(
        final MutableDirectBuffer dst,
        final int dstOffset,
        final DirectBuffer inner,
        final int innerOffset,
        final int innerLength)
    {
        if (innerLength < 1 || innerLength > GeneveEncapsulator.MAX_INNER_LENGTH)
        {
            throw new IllegalArgumentException("inner packet length out of range: " + innerLength);
        }
        final int innerAt = dstOffset + GeneveEncapsulator.ENCAP_LENGTH;
        dst.putBytes(innerAt, inner, innerOffset, innerLength);

        final int ipVersion = (dst.getByte(innerAt) & 0xFF) >>> 4;
        final int type = AUTO != protocolType ? protocolType :
            6 == ipVersion ? GeneveFlyweight.PROTOCOL_TYPE_IPV6 : GeneveFlyweight.PROTOCOL_TYPE_IPV4;
        final int index = AUTO != hopIndex ? hopIndex : Math.max(0, FlyoverRoute.firstHopIndex(route, returnPath));

        final int length = GeneveEncapsulator.writeHeaders(
            dst,
            dstOffset,
            innerLength,
            outerSrcIpv4,
            outerDstIpv4,
            GeneveEncapsulator.udpSourcePort(flowHash),
            type,
            oam,
            vni,
            returnPath,
            index,
            hopLimit,
            keyId,
            route,
            sendTimeUs);

        final int protocol;
        final int l4Offset;
        if (AUTO != innerProtocol)
        {
            protocol = innerProtocol;
            l4Offset = innerAt + innerL4Offset;
        }
        else if (6 == ipVersion)
        {
            protocol = innerLength > 6 ? dst.getByte(innerAt + 6) & 0xFF : 0;
            l4Offset = innerAt + 40;
        }
        else
        {
            protocol = innerLength > 9 ? dst.getByte(innerAt + 9) & 0xFF : 0;
            l4Offset = innerAt + ((dst.getByte(innerAt) & 0x0F) << 2);
        }

        if (keys.contains(keyId) && hasTaggableInner(type, innerLength, protocol, l4Offset - innerAt))
        {
            TunnelTag.writeTag(
                keys,
                dst,
                dstOffset + GeneveEncapsulator.GENEVE_OFFSET,
                dstOffset + GeneveEncapsulator.FLYOVER_OPTION_OFFSET,
                innerAt,
                protocol,
                l4Offset);
        }
        return length;
    }

    private static boolean hasTaggableInner(
        final int protocolType, final int innerLength, final int protocol, final int l4OffsetInInner)
    {
        final int addressesEnd = GeneveFlyweight.PROTOCOL_TYPE_IPV6 == protocolType ? 40 : 20;
        if (innerLength < addressesEnd)
        {
            return false;
        }
        return !TunnelTag.hasPorts(protocol) || (l4OffsetInInner >= 0 && l4OffsetInInner + 4 <= innerLength);
    }
}
