package io.flyover.dataplane.protocol;

import org.agrona.concurrent.UnsafeBuffer;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The seed corpus of {@link PacketParserFuzzTarget}: small valid packets of every kind the parsers
 * know, built with Flyover's own writers ({@link TestPacketBuilder}, {@link TunnelPacketBuilder}) or
 * taken from {@link GoldenPackets}, plus truncated and damaged variants. Deterministic: the same
 * bytes on every run.
 * <p>
 * The committed corpus lives in {@link #DIRECTORY} (Jazzer's JUnit regression inputs for
 * {@code PacketParserFuzzTest.parse}, which {@code .ci/fuzz} also starts from). Regenerate it after
 * changing this class, from the repository root:
 * <pre>
 * ./mvnw -q -pl dataplane test-compile
 * java $(sed -n 's/^flyover\.jvm\.flags=//p' jvm.properties) \
 *     -cp "dataplane/target/test-classes:dataplane/target/classes:$(cat cp.txt)" \
 *     io.flyover.dataplane.protocol.PacketParserFuzzCorpus
 * </pre>
 * ({@code cp.txt} from {@code ./mvnw -q -pl dataplane dependency:build-classpath
 * -Dmdep.includeScope=test -Dmdep.outputFile=$PWD/cp.txt}). It writes {@code seed-*} files only;
 * inputs a fuzzing run found ({@code crash-*} and the like, kept as regression tests) are left alone.
 * {@code PacketParserFuzzCorpusTest} fails if the committed seeds drift from this class.
 */
final class PacketParserFuzzCorpus
{
    /** Where the committed corpus lives, relative to the dataplane module. */
    static final Path DIRECTORY =
        Path.of("src/test/resources/io/flyover/dataplane/protocol/PacketParserFuzzTestInputs/parse");
    /** File name prefix of the generated seeds. */
    static final String SEED_PREFIX = "seed-";

    private PacketParserFuzzCorpus()
    {
    }

    /**
     * @return file name (without the prefix) to contents, in a fixed order.
     */
    static Map<String, byte[]> seeds()
    {
        final Map<String, byte[]> seeds = new LinkedHashMap<>();

        // Ethernet framing and VLANs.
        seeds.put("eth-ipv4-udp", TestPacketBuilder.udp4().build());
        final TestPacketBuilder dot1q = TestPacketBuilder.udp4();
        dot1q.vlanTags = 1;
        dot1q.outerTci = 0xA064;
        dot1q.payload = bytes("flyover!");
        seeds.put("eth-dot1q-ipv4-udp", dot1q.build());
        final TestPacketBuilder qinq = TestPacketBuilder.tcp6();
        qinq.vlanTags = 2;
        qinq.outerTpid = EthernetFlyweight.TPID_8021AD;
        qinq.outerTci = 0x70C8;
        qinq.innerTci = 0x012C;
        qinq.mss = 1440;
        seeds.put("eth-qinq-ipv6-tcp", qinq.build());
        final TestPacketBuilder padded = TestPacketBuilder.udp4();
        padded.ethernetPadding = 18;
        seeds.put("eth-ipv4-udp-padded", padded.build());
        seeds.put("golden-eth-dot1q-ipv4-udp", Hex.bytes(GoldenPackets.ETH_DOT1Q_IPV4_UDP));
        seeds.put("golden-eth-qinq-ipv6-udp", Hex.bytes(GoldenPackets.ETH_QINQ_IPV6_UDP));

        // Raw IPv4.
        seeds.put("golden-ipv4-udp", Hex.bytes(GoldenPackets.IPV4_UDP));
        seeds.put("golden-ipv4-tcp-syn", Hex.bytes(GoldenPackets.IPV4_TCP_SYN));
        seeds.put("golden-ipv4-options-udp", Hex.bytes(GoldenPackets.IPV4_OPTIONS_UDP));
        seeds.put("golden-ipv4-icmp-echo", Hex.bytes(GoldenPackets.IPV4_ICMP_ECHO));
        seeds.put("golden-ipv4-icmp-frag-needed", Hex.bytes(GoldenPackets.IPV4_ICMP_FRAG_NEEDED));
        final TestPacketBuilder tcpOptions = TestPacketBuilder.tcp4();
        tcpOptions.ethernet = false;
        tcpOptions.tcpLeadingNop = true;
        tcpOptions.mss = 1460;
        tcpOptions.sackPermitted = true;
        tcpOptions.timestamps = true;
        tcpOptions.windowScale = 7;
        tcpOptions.ipv4Options = new byte[]{Ipv4Flyweight.OPTION_NOP, Ipv4Flyweight.OPTION_NOP, (byte)0x88, 4, 0, 1};
        seeds.put("ipv4-options-tcp-options", tcpOptions.build());
        final TestPacketBuilder firstFragment = TestPacketBuilder.udp4();
        firstFragment.ethernet = false;
        firstFragment.ipv4FlagsAndFragmentOffset = Ipv4Flyweight.FLAG_MORE_FRAGMENTS;
        firstFragment.payload = new byte[16];
        seeds.put("ipv4-first-fragment", firstFragment.build());
        final TestPacketBuilder laterFragment = TestPacketBuilder.udp4();
        laterFragment.ethernet = false;
        laterFragment.ipv4FlagsAndFragmentOffset = 0x00B9;
        seeds.put("ipv4-later-fragment", laterFragment.build());
        final TestPacketBuilder unreachableTcp = icmp4(Icmpv4Flyweight.TYPE_DESTINATION_UNREACHABLE, 3, 0);
        unreachableTcp.quote = Arrays.copyOf(Hex.bytes(GoldenPackets.IPV4_TCP_SYN), 28);
        seeds.put("ipv4-icmp-port-unreachable-tcp-quote", unreachableTcp.build());
        final TestPacketBuilder timeExceeded = icmp4(11, 0, 0);
        timeExceeded.quote = Arrays.copyOf(Hex.bytes(GoldenPackets.IPV4_ICMP_ECHO), 28);
        seeds.put("ipv4-icmp-time-exceeded-echo-quote", timeExceeded.build());
        final TestPacketBuilder fragNeededEth = icmp4(
            Icmpv4Flyweight.TYPE_DESTINATION_UNREACHABLE, Icmpv4Flyweight.CODE_FRAGMENTATION_NEEDED, 1400);
        fragNeededEth.ethernet = true;
        fragNeededEth.quote = Arrays.copyOf(Hex.bytes(GoldenPackets.IPV4_OPTIONS_UDP), 40);
        seeds.put("eth-ipv4-icmp-frag-needed-options-quote", fragNeededEth.build());

        // Raw IPv6.
        seeds.put("golden-ipv6-udp", Hex.bytes(GoldenPackets.IPV6_UDP));
        seeds.put("golden-ipv6-ext-tcp", Hex.bytes(GoldenPackets.IPV6_EXT_TCP));
        seeds.put("golden-ipv6-icmpv6-echo", Hex.bytes(GoldenPackets.IPV6_ICMPV6_ECHO));
        seeds.put("golden-ipv6-icmpv6-ptb", Hex.bytes(GoldenPackets.IPV6_ICMPV6_PTB));
        seeds.put("golden-ipv6-ah-udp", Hex.bytes(GoldenPackets.IPV6_AH_UDP));
        final TestPacketBuilder extTcp = TestPacketBuilder.tcp6();
        extTcp.ethernet = false;
        extTcp.extensionHeaders = new int[]{
            IpProtocol.HOP_BY_HOP, IpProtocol.IPV6_DESTINATION_OPTIONS, IpProtocol.IPV6_ROUTING};
        extTcp.extensionHeaderLength = 16;
        extTcp.mss = 1220;
        extTcp.sackPermitted = true;
        extTcp.timestamps = true;
        extTcp.windowScale = 9;
        seeds.put("ipv6-ext-tcp-options", extTcp.build());
        final TestPacketBuilder fragment6 = TestPacketBuilder.udp6();
        fragment6.ethernet = false;
        fragment6.extensionHeaders = new int[]{IpProtocol.IPV6_FRAGMENT};
        fragment6.ipv6MoreFragments = true;
        fragment6.ipv6FragmentId = 0x0BAD_F00D;
        seeds.put("ipv6-first-fragment", fragment6.build());
        final TestPacketBuilder ptbQuoteExt = TestPacketBuilder.udp6();
        ptbQuoteExt.ethernet = false;
        ptbQuoteExt.protocol = IpProtocol.ICMPV6;
        ptbQuoteExt.icmpType = Icmpv6Flyweight.TYPE_PACKET_TOO_BIG;
        ptbQuoteExt.icmpRestOfHeader = 1280;
        ptbQuoteExt.quote = Arrays.copyOf(Hex.bytes(GoldenPackets.IPV6_EXT_TCP), 40 + 32 + 8);
        seeds.put("ipv6-icmpv6-ptb-ext-quote", ptbQuoteExt.build());

        // Tunnel packets: outer IPv4/UDP 6081/Geneve/Flyover option, tagged with the fuzz key.
        final byte[] innerUdp4 = TestPackets.ipv4(TestPackets.UDP, 0xC633_6407, 0xCB00_710A, 40000, 443, bytes("hi"), false);
        final byte[] innerTcp4 = TestPackets.ipv4(TestPackets.TCP, 0xC633_6407, 0xCB00_710A, 40001, 443, new byte[0], true);
        final byte[] innerIcmp4 = TestPackets.ipv4(TestPackets.ICMP, 0xC633_6407, 0xCB00_710A, 7, 1, bytes("ping"), false);
        final byte[] v6a = Hex.bytes("20010db8000000000000000000000001");
        final byte[] v6b = Hex.bytes("20010db8000000000000000000000002");
        final byte[] innerUdp6 = TestPackets.ipv6(TestPackets.UDP, v6a, v6b, 5353, 53, bytes("q"));
        final byte[] innerTcp6 = TestPackets.ipv6(TestPackets.TCP, v6a, v6b, 40002, 80, new byte[0]);
        final long twoHops = FlyoverRoute.pack(1, 2, FlyoverRoute.UNUSED, FlyoverRoute.UNUSED);
        final long fourHops = FlyoverRoute.pack(10, 20, 30, 40);

        final byte[] tunnelUdp4 = tunnel(tunnelBuilder(twoHops), innerUdp4);
        seeds.put("tunnel-ipv4-udp", tunnelUdp4);
        seeds.put("tunnel-ipv4-tcp", tunnel(tunnelBuilder(twoHops), innerTcp4));
        seeds.put("tunnel-ipv4-icmp", tunnel(tunnelBuilder(twoHops), innerIcmp4));
        seeds.put("tunnel-ipv6-udp", tunnel(tunnelBuilder(fourHops).hopIndex(2), innerUdp6));
        seeds.put("tunnel-ipv6-tcp-return", tunnel(tunnelBuilder(fourHops).returnPath(true), innerTcp6));
        seeds.put("tunnel-probe", tunnel(tunnelBuilder(twoHops).oam(true).keyId(7), innerUdp4));
        seeds.put("tunnel-unknown-key", tunnel(tunnelBuilder(twoHops).keyId(9), innerUdp4));
        final byte[] badTag = tunnel(tunnelBuilder(twoHops), innerTcp4);
        badTag[badTag.length - 1] ^= 0x01; // last byte of the inner TCP header's urgent pointer: tag still good
        badTag[GeneveEncapsulator.FLYOVER_OPTION_OFFSET + 24] ^= 0x40; // the tag itself: bad
        seeds.put("tunnel-bad-tag", badTag);
        seeds.put("geneve-ipv4-udp", Arrays.copyOfRange(tunnelUdp4, GeneveEncapsulator.GENEVE_OFFSET, tunnelUdp4.length));
        seeds.put("geneve-ipv6-tcp", Arrays.copyOfRange(
            seeds.get("tunnel-ipv6-tcp-return"), GeneveEncapsulator.GENEVE_OFFSET, seeds.get("tunnel-ipv6-tcp-return").length));
        final byte[] extraOption = withExtraOption(Arrays.copyOfRange(
            tunnelUdp4, GeneveEncapsulator.GENEVE_OFFSET, tunnelUdp4.length));
        seeds.put("geneve-extra-option", extraOption);

        // Truncated variants.
        seeds.put("cut-eth-ipv4-udp-13", Arrays.copyOf(seeds.get("eth-ipv4-udp"), 13));
        seeds.put("cut-eth-qinq-20", Arrays.copyOf(seeds.get("eth-qinq-ipv6-tcp"), 20));
        seeds.put("cut-ipv4-tcp-options-45", Arrays.copyOf(seeds.get("ipv4-options-tcp-options"), 45));
        seeds.put("cut-ipv6-ext-tcp-70", Arrays.copyOf(seeds.get("ipv6-ext-tcp-options"), 70));
        seeds.put("cut-ipv6-ptb-60", Arrays.copyOf(seeds.get("golden-ipv6-icmpv6-ptb"), 60));
        seeds.put("cut-ipv4-frag-needed-40", Arrays.copyOf(seeds.get("golden-ipv4-icmp-frag-needed"), 40));
        seeds.put("cut-tunnel-ipv4-udp-50", Arrays.copyOf(tunnelUdp4, 50));
        seeds.put("cut-tunnel-ipv4-udp-minus-1", Arrays.copyOf(tunnelUdp4, tunnelUdp4.length - 1));
        seeds.put("cut-geneve-12", Arrays.copyOf(seeds.get("geneve-ipv4-udp"), 12));
        seeds.put("empty", new byte[0]);
        seeds.put("one-byte-ipv6", new byte[]{0x60});
        return seeds;
    }

    private static TestPacketBuilder icmp4(final int type, final int code, final int rest)
    {
        final TestPacketBuilder builder = TestPacketBuilder.udp4();
        builder.ethernet = false;
        builder.protocol = IpProtocol.ICMP;
        builder.icmpType = type;
        builder.icmpCode = code;
        builder.icmpRestOfHeader = rest;
        return builder;
    }

    private static TunnelPacketBuilder tunnelBuilder(final long route)
    {
        return new TunnelPacketBuilder()
            .keys(PacketParserFuzzTarget.KEYS)
            .keyId(PacketParserFuzzTarget.KEY_ID)
            .route(route)
            .vni(0x00AB_CDEF)
            .flowHash(0x1234_5678)
            .sendTimeUs(1_764_000_000_000_000L);
    }

    private static byte[] tunnel(final TunnelPacketBuilder builder, final byte[] inner)
    {
        final UnsafeBuffer buffer = new UnsafeBuffer(new byte[GeneveEncapsulator.ENCAP_LENGTH + inner.length]);
        final int length = builder.build(buffer, 0, new UnsafeBuffer(inner), 0, inner.length);
        return Arrays.copyOf(buffer.byteArray(), length);
    }

    /**
     * Geneve bytes with a non-critical 4-byte option (class 0x0101, type 0x05, one data word) in front
     * of the Flyover option, Opt Len adjusted and the tag recomputed: the parser's slow option walk.
     * The inner packet must be IPv4.
     */
    private static byte[] withExtraOption(final byte[] geneve)
    {
        final byte[] out = new byte[geneve.length + 8];
        System.arraycopy(geneve, 0, out, 0, GeneveFlyweight.HEADER_LENGTH);
        out[0] = (byte)((out[0] & 0xC0) | (((out[0] & 0x3F) + 2) & 0x3F));
        final byte[] option = {0x01, 0x01, 0x05, 0x01, 'o', 'p', 't', '!'};
        System.arraycopy(option, 0, out, GeneveFlyweight.HEADER_LENGTH, option.length);
        System.arraycopy(geneve, GeneveFlyweight.HEADER_LENGTH, out, GeneveFlyweight.HEADER_LENGTH + 8,
            geneve.length - GeneveFlyweight.HEADER_LENGTH);
        // The tag covers the base header, whose Opt Len changed: tag again.
        final UnsafeBuffer buffer = new UnsafeBuffer(out);
        final int flyover = GeneveFlyweight.HEADER_LENGTH + 8;
        final int inner = flyover + FlyoverOptionFlyweight.LENGTH;
        TunnelTag.writeTag(PacketParserFuzzTarget.KEYS, buffer, 0, flyover, inner, buffer.getByte(inner + 9) & 0xFF,
            inner + ((buffer.getByte(inner) & 0x0F) << 2));
        return out;
    }

    private static byte[] bytes(final String ascii)
    {
        return ascii.getBytes(StandardCharsets.US_ASCII);
    }

    /**
     * Writes the seeds into the committed corpus directory.
     *
     * @param args optional: the dataplane module directory (default: {@code dataplane} if it exists, else
     *             the working directory).
     * @throws IOException if a file cannot be written.
     */
    public static void main(final String[] args) throws IOException
    {
        final Path module = args.length > 0 ? Path.of(args[0]) :
            Files.isDirectory(Path.of("dataplane")) ? Path.of("dataplane") : Path.of(".");
        final Path directory = module.resolve(DIRECTORY);
        Files.createDirectories(directory);
        for (final Map.Entry<String, byte[]> seed : seeds().entrySet())
        {
            Files.write(directory.resolve(SEED_PREFIX + seed.getKey()), seed.getValue());
        }
        System.out.println("wrote " + seeds().size() + " seeds to " + directory);
    }
}
