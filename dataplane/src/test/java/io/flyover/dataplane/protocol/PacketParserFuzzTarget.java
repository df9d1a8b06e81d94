package io.flyover.dataplane.protocol;

import org.agrona.concurrent.UnsafeBuffer;

/**
 * Jazzer fuzz target over the packet codecs' receive side: every parser that sees bytes from the
 * network runs on the input, and any exception escaping is a finding.
 * <p>
 * The input is wrapped in an {@link UnsafeBuffer} of exactly its length, so with Agrona's bounds
 * checks on (the default; tests and fuzzing never turn them off) a read past the captured bytes
 * throws {@link IndexOutOfBoundsException} instead of reading neighbouring memory. On each input:
 * <ol>
 *   <li>{@link PacketParser#parseEthernet} and {@link PacketParser#parseIp}, with and without the IPv4
 *       header checksum check (without it the fuzzer gets past the IPv4 header into L4 and ICMP
 *       quotes), and once with a captured length longer than the buffer (clamped);</li>
 *   <li>{@link GeneveParser#parse} on the whole input, as if it started at the Geneve header;</li>
 *   <li>the backbone receive walk, as the pipeline does it: if the raw IP parse finds UDP to port
 *       6081, Geneve on the UDP payload, then the inner IP packet (with and without its IPv4 header
 *       checksum checked), then {@link TunnelTag#verify} with fixed keys. The same for the Geneve
 *       parse of the whole input.</li>
 * </ol>
 * After every {@link ParseVerdict#OK} the parsed offsets and lengths must lie inside the input
 * ({@link #check}); a violation throws {@link IllegalStateException}, which Jazzer reports.
 * <p>
 * Run standalone by {@code .ci/fuzz} (target listed in {@code .ci/fuzz-targets}) and replayed over
 * the committed corpus by {@link PacketParserFuzzTest} in the normal test run. Single-threaded, as
 * Jazzer calls it: the parse results are reused.
 */
public final class PacketParserFuzzTarget
{
    /** Key id the fuzz keys hold; the seed corpus tunnel packets are tagged with it. */
    static final int KEY_ID = 1;
    /** Key bytes 0..7 of {@link #KEY_ID}, little-endian. */
    static final long K0 = 0x0706_0504_0302_0100L;
    /** Key bytes 8..15 of {@link #KEY_ID}, little-endian. */
    static final long K1 = 0x0F0E_0D0C_0B0A_0908L;
    /** The keys the target verifies with. */
    static final TunnelKeys KEYS = TunnelKeys.of(KEY_ID, K0, K1).with(7, 0x1122_3344_5566_7788L, -1L);

    private static final ParsedPacket OUTER = new ParsedPacket();
    private static final ParsedPacket INNER = new ParsedPacket();
    private static final ParsedTunnel TUNNEL = new ParsedTunnel();

    private PacketParserFuzzTarget()
    {
    }

    /**
     * Jazzer's entry point.
     *
     * @param data the fuzzer's input, taken as captured packet bytes.
     */
    public static void fuzzerTestOneInput(final byte[] data)
    {
        final UnsafeBuffer buffer = new UnsafeBuffer(data);
        final int length = data.length;
        final ParsedPacket packet = OUTER;

        check(buffer, 0, length, PacketParser.parseEthernet(buffer, 0, length, packet), packet);
        check(buffer, 0, length, PacketParser.parseEthernet(buffer, 0, length, packet, false), packet);
        check(buffer, 0, length, PacketParser.parseIp(buffer, 0, length, packet, false), packet);
        check(buffer, 0, length, PacketParser.parseIp(buffer, 0, length + 64, packet), packet);

        final ParseVerdict ip = PacketParser.parseIp(buffer, 0, length, packet);
        check(buffer, 0, length, ip, packet);
        if (ParseVerdict.OK == ip && IpProtocol.UDP == packet.protocol && GeneveFlyweight.UDP_PORT == packet.dstPort)
        {
            final int geneveOffset = packet.l4Offset + UdpFlyweight.HEADER_LENGTH;
            tunnel(buffer, geneveOffset, packet.l3End() - geneveOffset);
        }

        tunnel(buffer, 0, length);
    }

    /**
     * Geneve at {@code offset}, then, as the backbone receive path does, the inner packet and the tag.
     */
    private static void tunnel(final UnsafeBuffer buffer, final int offset, final int length)
    {
        final ParsedTunnel tunnel = TUNNEL;
        final ParseVerdict verdict = GeneveParser.parse(buffer, offset, length, tunnel);
        if (ParseVerdict.OK != verdict)
        {
            return;
        }

        final int end = offset + length;
        require(tunnel.geneveOffset() == offset, "geneve offset", tunnel);
        require(tunnel.flyoverOptionOffset() >= offset + GeneveFlyweight.HEADER_LENGTH &&
            tunnel.flyoverOptionOffset() + FlyoverOptionFlyweight.LENGTH <= tunnel.innerOffset(), "option offset", tunnel);
        require(tunnel.innerLength() >= 0 && tunnel.innerOffset() + tunnel.innerLength() == end, "inner range", tunnel);
        require(GeneveFlyweight.PROTOCOL_TYPE_IPV4 == tunnel.protocolType() ||
            GeneveFlyweight.PROTOCOL_TYPE_IPV6 == tunnel.protocolType(), "protocol type", tunnel);

        // As the pipeline does (inner IPv4 checksum verified), and without the checksum check, so the
        // fuzzer reaches the tag with inner packets it has not had to checksum.
        innerAndTag(buffer, tunnel, true);
        innerAndTag(buffer, tunnel, false);
    }

    private static void innerAndTag(final UnsafeBuffer buffer, final ParsedTunnel tunnel, final boolean verifyIpv4Checksum)
    {
        final ParsedPacket inner = INNER;
        final ParseVerdict innerVerdict =
            PacketParser.parseIp(buffer, tunnel.innerOffset(), tunnel.innerLength(), inner, verifyIpv4Checksum);
        check(buffer, tunnel.innerOffset(), tunnel.innerLength(), innerVerdict, inner);
        if (ParseVerdict.OK != innerVerdict)
        {
            return;
        }

        final int innerL4 = ParsedPacket.NONE == inner.l4Offset ? tunnel.innerOffset() : inner.l4Offset;
        final ParseVerdict tag = TunnelTag.verify(KEYS, buffer, tunnel, inner.protocol, innerL4);
        require(ParseVerdict.OK == tag || ParseVerdict.FLYOVER_BAD_TAG == tag ||
            ParseVerdict.FLYOVER_UNKNOWN_KEY_ID == tag, "tag verdict " + tag, tunnel);
    }

    /**
     * The invariants of a parse of {@code [offset, offset + length)}.
     */
    private static void check(
        final UnsafeBuffer buffer, final int offset, final int length, final ParseVerdict verdict, final ParsedPacket p)
    {
        require(null != verdict, "null verdict", p);
        if (ParseVerdict.OK != verdict)
        {
            return;
        }

        final int end = offset + Math.min(length, buffer.capacity() - offset);
        require(4 == p.ipVersion || 6 == p.ipVersion, "ip version", p);
        require(p.l3Offset >= offset && p.l3Length > 0 && p.l3End() <= end, "l3 range", p);
        require(p.l3HeaderLength >= (4 == p.ipVersion ? Ipv4Flyweight.MIN_HEADER_LENGTH : Ipv6Flyweight.HEADER_LENGTH) &&
            p.l3HeaderLength <= p.l3Length, "l3 header length", p);
        require(within(p.srcAddressOffset, p.addressLength, p.l3Offset, p.l3End()) &&
            within(p.dstAddressOffset, p.addressLength, p.l3Offset, p.l3End()), "addresses", p);
        require(!p.fragment, "fragment with OK verdict", p);
        require(p.l4Offset == p.l3Offset + p.l3HeaderLength && p.l4Offset + p.l4Length == p.l3End(), "l4 range", p);
        require(p.payloadOffset >= p.l4Offset && p.payloadLength >= 0 &&
            p.payloadOffset + p.payloadLength <= p.l3End(), "payload range", p);
        require(p.srcPort >= 0 && p.srcPort <= 0xFFFF && p.dstPort >= 0 && p.dstPort <= 0xFFFF, "ports", p);
        require(ParsedPacket.NONE == p.l4ChecksumOffset || within(p.l4ChecksumOffset, 2, p.l4Offset, p.l3End()),
            "l4 checksum offset", p);

        switch (p.protocol)
        {
            case IpProtocol.UDP ->
                require(p.payloadOffset == p.l4Offset + UdpFlyweight.HEADER_LENGTH, "udp payload", p);
            case IpProtocol.TCP ->
            {
                require(p.tcpHeaderLength >= TcpFlyweight.MIN_HEADER_LENGTH && p.tcpHeaderLength <= p.l4Length &&
                    p.payloadOffset == p.l4Offset + p.tcpHeaderLength, "tcp header length", p);
                require(ParsedPacket.NONE == p.tcpMssOptionOffset ||
                    within(p.tcpMssOptionOffset, TcpFlyweight.MSS_OPTION_LENGTH, p.l4Offset + TcpFlyweight.MIN_HEADER_LENGTH,
                        p.l4Offset + p.tcpHeaderLength), "mss option", p);
            }
            default ->
            {
            }
        }

        if (p.hasQuote())
        {
            require(p.innerL3Offset >= p.payloadOffset && p.innerL3Offset + p.innerL3HeaderLength <= p.l3End(),
                "quoted header", p);
            require(within(p.innerSrcAddressOffset, p.addressLength, p.innerL3Offset, p.l3End()) &&
                within(p.innerDstAddressOffset, p.addressLength, p.innerL3Offset, p.l3End()), "quoted addresses", p);
            require(p.innerL4Offset >= p.innerL3Offset + p.innerL3HeaderLength && p.innerL4Offset <= p.l3End(),
                "quoted l4", p);
            if (IpProtocol.TCP == p.innerProtocol || IpProtocol.UDP == p.innerProtocol)
            {
                require(p.innerL4Offset + 4 <= p.l3End(), "quoted ports", p);
            }
        }
    }

    private static boolean within(final int at, final int length, final int start, final int end)
    {
        return at >= start && length >= 0 && at + length <= end;
    }

    private static void require(final boolean condition, final String what, final Object parsed)
    {
        if (!condition)
        {
            throw new IllegalStateException("invariant broken: " + what + " in " + parsed);
        }
    }
}
