package io.flyover.dataplane.engine;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;

import io.flyover.dataplane.protocol.Icmpv4Flyweight;
import io.flyover.dataplane.protocol.TcpFlyweight;

import static io.flyover.dataplane.engine.PipelineFuzzFixture.BACKEND_1;
import static io.flyover.dataplane.engine.PipelineFuzzFixture.BACKEND_2;
import static io.flyover.dataplane.engine.PipelineFuzzFixture.BACKEND_TCP_PORT;
import static io.flyover.dataplane.engine.PipelineFuzzFixture.CLIENT;
import static io.flyover.dataplane.engine.PipelineFuzzFixture.CLIENT_TCP_PORT;
import static io.flyover.dataplane.engine.PipelineFuzzFixture.CLIENT_UDP_PORT;
import static io.flyover.dataplane.engine.PipelineFuzzFixture.VIP;
import static io.flyover.dataplane.engine.PipelineFuzzFixture.WEB_SERVICE;

/**
 * The seed corpora of the whole-pipeline fuzz targets, one per port: genuine packets of each kind
 * the pipeline handles there (new and known flows, ICMP errors quoting a flow, relay, egress and
 * return tunnels, probes) and forged or malformed ones. Deterministic.
 * <p>
 * The committed corpora live under {@link #DIRECTORY}, one folder per {@link PipelineFuzzTest}
 * method; {@code .ci/fuzz} starts from them and Jazzer's JUnit regression mode replays them.
 * Regenerate after changing this class (from the repository root, with {@code cp.txt} made as
 * {@code PacketParserFuzzCorpus} describes):
 * <pre>
 * java $(sed -n 's/^flyover\.jvm\.flags=//p' jvm.properties) \
 *     -cp "dataplane/target/test-classes:dataplane/target/classes:$(cat cp.txt)" \
 *     io.flyover.dataplane.engine.PipelineFuzzCorpus
 * </pre>
 * It writes {@code seed-*} files only; findings committed as regression inputs are left alone.
 * {@code PipelineFuzzCorpusTest} fails if the committed seeds drift from this class.
 */
final class PipelineFuzzCorpus
{
    /** Where the committed corpora live, relative to the dataplane module. */
    static final Path DIRECTORY = Path.of("src/test/resources/io/flyover/dataplane/engine/PipelineFuzzTestInputs");
    /** File name prefix of the generated seeds. */
    static final String SEED_PREFIX = "seed-";

    /** Flag byte of the edge and origin targets: fix the IPv4 header checksum. */
    private static final int FIX = 1;

    private PipelineFuzzCorpus()
    {
    }

    /**
     * @return target folder name to (seed name to contents), in a fixed order.
     */
    static Map<String, Map<String, byte[]>> seeds()
    {
        final Map<String, Map<String, byte[]>> all = new LinkedHashMap<>();
        all.put("edge", edge());
        all.put("backbone", backbone());
        all.put("origin", origin());
        return all;
    }

    private static Map<String, byte[]> edge()
    {
        final Map<String, byte[]> seeds = new LinkedHashMap<>();
        final byte[] knownSyn = TrafficSamples.tcp4(CLIENT, CLIENT_TCP_PORT, VIP, 80, TcpFlyweight.FLAG_SYN, 1460, 0);
        seeds.put("tcp-syn-new", flagged(FIX, TrafficSamples.tcp4(CLIENT, 40_001, VIP, 80, TcpFlyweight.FLAG_SYN, 1460, 0)));
        seeds.put("tcp-ack-known", flagged(FIX, TrafficSamples.tcp4(CLIENT, CLIENT_TCP_PORT, VIP, 80,
            TcpFlyweight.FLAG_ACK, 0, 16)));
        seeds.put("tcp-fin-known", flagged(FIX, TrafficSamples.tcp4(CLIENT, CLIENT_TCP_PORT, VIP, 80,
            TcpFlyweight.FLAG_FIN | TcpFlyweight.FLAG_ACK, 0, 0)));
        seeds.put("udp-known", flagged(FIX, TrafficSamples.udp4(CLIENT, CLIENT_UDP_PORT, VIP, 53, 12)));
        seeds.put("udp-new", flagged(FIX, TrafficSamples.udp4(CLIENT + 1, 6000, VIP, 53, 12)));
        seeds.put("udp-over-mtu", flagged(FIX, TrafficSamples.udp4(CLIENT, CLIENT_UDP_PORT, VIP, 53, 1460)));
        seeds.put("no-service-port", flagged(FIX, TrafficSamples.tcp4(CLIENT, 40_002, VIP, 81, TcpFlyweight.FLAG_SYN, 0, 0)));
        seeds.put("ipv4-options", flagged(FIX, TrafficSamples.udp4WithOptions(CLIENT, 6001, VIP, 53)));
        seeds.put("ipv4-fragment", flagged(FIX, TrafficSamples.fragment4(CLIENT, VIP, 53, true)));
        seeds.put("ipv6-ext-chain", flagged(0, TrafficSamples.ipv6ExtensionChain(3)));
        seeds.put("ipv6-ext-chain-too-long", flagged(0, TrafficSamples.ipv6ExtensionChain(12)));
        seeds.put("icmp-echo", flagged(FIX, TrafficSamples.icmp4(CLIENT, VIP, Icmpv4Flyweight.TYPE_ECHO_REQUEST, 0,
            0x0001_0001, new byte[8])));
        seeds.put("icmp-frag-needed-known-flow", flagged(FIX, TrafficSamples.fragNeeded(CLIENT, VIP,
            TrafficSamples.tcp4(VIP, 80, CLIENT, CLIENT_TCP_PORT, TcpFlyweight.FLAG_ACK, 0, 0), 28)));
        seeds.put("icmp-port-unreachable-known-udp", flagged(FIX, TrafficSamples.icmp4(CLIENT, VIP,
            Icmpv4Flyweight.TYPE_DESTINATION_UNREACHABLE, 3, 0, Arrays.copyOf(
                TrafficSamples.udp4(VIP, 53, CLIENT, CLIENT_UDP_PORT, 4), 28))));
        seeds.put("icmp-error-garbage-quote", flagged(FIX, TrafficSamples.icmp4(CLIENT, VIP,
            Icmpv4Flyweight.TYPE_TIME_EXCEEDED, 0, 0, new byte[] {0x4F, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11})));
        seeds.put("lying-ipv4-length", flagged(FIX, TrafficSamples.lyingIpv4Length(knownSyn, 400)));
        seeds.put("lying-tcp-offset", flagged(FIX, TrafficSamples.lyingTcpDataOffset(knownSyn, 15)));
        seeds.put("truncated", flagged(0, Arrays.copyOf(knownSyn, 30)));
        return seeds;
    }

    private static Map<String, byte[]> backbone()
    {
        final Map<String, byte[]> seeds = new LinkedHashMap<>();
        final byte[] syn = TrafficSamples.tcp4(CLIENT, 40_003, VIP, 80, TcpFlyweight.FLAG_SYN, 1392, 0);
        final byte[] knownAck = TrafficSamples.tcp4(CLIENT, CLIENT_TCP_PORT, VIP, 80, TcpFlyweight.FLAG_ACK, 0, 8);
        final byte[] knownUdp = TrafficSamples.udp4(CLIENT, CLIENT_UDP_PORT, VIP, 53, 8);
        final byte[] synAck = TrafficSamples.tcp4(VIP, 80, CLIENT, CLIENT_TCP_PORT,
            TcpFlyweight.FLAG_SYN | TcpFlyweight.FLAG_ACK, 1392, 0);
        // sender: 0 A, 1 B, 2 C, 3 stranger; routes: 0 A-B-C, 1 A-C, 2 A-B-A-B, 3 gap, 4 C-B-A, ...
        seeds.put("relay-at-b", structured(1, 0, 0, 1, false, false, 0, 8, syn));
        seeds.put("egress-at-c-new-flow", structured(2, 1, 0, 2, false, false, 0, 8, syn));
        seeds.put("egress-at-c-known-flow", structured(2, 1, 0, 2, false, false, 0, 8, knownAck));
        seeds.put("egress-at-c-direct-udp", structured(2, 0, 1, 1, false, false, 0, 8, knownUdp));
        seeds.put("return-at-a", structured(0, 2, 1, 0, true, false, 0, 8, synAck));
        seeds.put("return-relay-at-b", structured(1, 2, 0, 1, true, false, 0, 8, synAck));
        seeds.put("probe-at-c", structured(2, 1, 0, 2, false, true, 0, 8, knownUdp));
        seeds.put("forged-bad-tag", structured(1, 0, 0, 1, false, false, 1, 8, syn));
        seeds.put("forged-unknown-key", structured(1, 0, 0, 1, false, false, 2, 8, syn));
        seeds.put("forged-flipped-tag", structured(2, 1, 0, 2, false, false, 3, 8, syn));
        seeds.put("forged-unknown-peer", structured(1, 3, 0, 1, false, false, 0, 8, syn));
        seeds.put("hop-limit-spent", structured(1, 0, 0, 1, false, false, 0, 0, syn));
        seeds.put("loop-route", structured(1, 0, 2, 1, false, false, 0, 8, syn));
        seeds.put("gap-route", structured(1, 0, 3, 1, false, false, 0, 8, syn));
        seeds.put("misrouted-hop", structured(1, 0, 0, 2, false, false, 0, 8, syn));
        seeds.put("egress-icmp-error-known-flow", structured(2, 1, 0, 2, false, false, 0, 8,
            TrafficSamples.fragNeeded(CLIENT, VIP, synAck, 28)));
        seeds.put("egress-ipv6-ext-chain", structured(2, 1, 0, 2, false, false, 0, 8,
            TrafficSamples.ipv6ExtensionChain(2)));
        // raw outer packets: a genuine tunnel as bytes (the fuzzer mutates outer headers), and a plain one
        final PipelineFuzzFixture fixture = new PipelineFuzzFixture();
        final int length = fixture.buildTunnel(PipelineFuzzFixture.UNDERLAY_B, BackbonePipelineFuzzTarget.ROUTES[0],
            false, 2, 8, false, WEB_SERVICE, 0, syn, 0, false);
        final byte[] raw = new byte[length];
        fixture.work().getBytes(PipelineFuzzFixture.HEADROOM, raw);
        seeds.put("raw-egress-at-c", flagged(2 | 4, raw));
        seeds.put("raw-not-geneve", flagged(1 | 4, TrafficSamples.udp4(PipelineFuzzFixture.UNDERLAY_A, 5000,
            PipelineFuzzFixture.UNDERLAY_B, 6082, 8)));
        seeds.put("raw-truncated-tunnel", flagged(2, Arrays.copyOf(raw, 40)));
        return seeds;
    }

    private static Map<String, byte[]> origin()
    {
        final Map<String, byte[]> seeds = new LinkedHashMap<>();
        final byte[] request = TrafficSamples.tcp4(CLIENT, CLIENT_TCP_PORT, BACKEND_1, BACKEND_TCP_PORT,
            TcpFlyweight.FLAG_SYN, 1392, 0);
        seeds.put("syn-ack-known", flagged(FIX, TrafficSamples.tcp4(BACKEND_1, BACKEND_TCP_PORT, CLIENT, CLIENT_TCP_PORT,
            TcpFlyweight.FLAG_SYN | TcpFlyweight.FLAG_ACK, 1400, 0)));
        seeds.put("data-known", flagged(FIX, TrafficSamples.tcp4(BACKEND_1, BACKEND_TCP_PORT, CLIENT, CLIENT_TCP_PORT,
            TcpFlyweight.FLAG_ACK, 0, 100)));
        seeds.put("udp-reply-backend-1", flagged(FIX, TrafficSamples.udp4(BACKEND_1, 53, CLIENT, CLIENT_UDP_PORT, 20)));
        seeds.put("udp-reply-backend-2", flagged(FIX, TrafficSamples.udp4(BACKEND_2, 53, CLIENT, CLIENT_UDP_PORT, 20)));
        seeds.put("reply-no-flow", flagged(FIX, TrafficSamples.tcp4(BACKEND_1, BACKEND_TCP_PORT, CLIENT, 40_009,
            TcpFlyweight.FLAG_ACK, 0, 0)));
        seeds.put("reply-over-mtu", flagged(FIX, TrafficSamples.tcp4(BACKEND_1, BACKEND_TCP_PORT, CLIENT, CLIENT_TCP_PORT,
            TcpFlyweight.FLAG_ACK, 0, 1460)));
        seeds.put("icmp-error-known-flow", flagged(FIX, TrafficSamples.fragNeeded(BACKEND_1, CLIENT, request, 28)));
        seeds.put("icmp-error-garbage-quote", flagged(FIX, TrafficSamples.icmp4(BACKEND_1, CLIENT,
            Icmpv4Flyweight.TYPE_DESTINATION_UNREACHABLE, 1, 0, new byte[] {0x45, 0, 0, 1, 2, 3})));
        seeds.put("icmp-error-unknown-quote", flagged(FIX, TrafficSamples.fragNeeded(BACKEND_1, CLIENT,
            TrafficSamples.udp4(CLIENT + 9, 1234, BACKEND_1, 53, 8), 28)));
        seeds.put("icmp-echo-reply", flagged(FIX, TrafficSamples.icmp4(BACKEND_1, CLIENT, Icmpv4Flyweight.TYPE_ECHO_REPLY,
            0, 0x0001_0001, new byte[8])));
        seeds.put("ipv4-options", flagged(FIX, TrafficSamples.udp4WithOptions(BACKEND_1, 53, CLIENT, CLIENT_UDP_PORT)));
        seeds.put("lying-udp-length", flagged(FIX, TrafficSamples.lyingUdpLength(
            TrafficSamples.udp4(BACKEND_1, 53, CLIENT, CLIENT_UDP_PORT, 20), 200)));
        seeds.put("fragment", flagged(FIX, TrafficSamples.fragment4(BACKEND_1, CLIENT, CLIENT_UDP_PORT, false)));
        return seeds;
    }

    private static byte[] flagged(final int flags, final byte[] packet)
    {
        final byte[] out = new byte[packet.length + 1];
        out[0] = (byte)flags;
        System.arraycopy(packet, 0, out, 1, packet.length);
        return out;
    }

    /**
     * A structured backbone input (see {@link BackbonePipelineFuzzTarget}), inner IPv4 checksum fixed.
     */
    private static byte[] structured(
        final int popIndex,
        final int sender,
        final int routeIndex,
        final int hopIndex,
        final boolean returnPath,
        final boolean oam,
        final int tagMode,
        final int hopLimit,
        final byte[] inner)
    {
        final int header = BackbonePipelineFuzzTarget.STRUCTURED_HEADER;
        final byte[] out = new byte[header + inner.length];
        out[0] = (byte)(popIndex | 4 | 8);
        out[1] = (byte)(sender | routeIndex << 2);
        out[2] = (byte)(hopIndex | (returnPath ? 4 : 0) | (oam ? 8 : 0) | tagMode << 4);
        out[3] = (byte)hopLimit;
        out[4] = (byte)WEB_SERVICE;
        System.arraycopy(inner, 0, out, header, inner.length);
        return out;
    }

    /**
     * Writes the seeds into the committed corpus folders.
     *
     * @param args optional: the dataplane module directory (default: {@code dataplane} if it exists, else
     *             the working directory).
     * @throws IOException if a file cannot be written.
     */
    public static void main(final String[] args) throws IOException
    {
        final Path module = args.length > 0 ? Path.of(args[0]) :
            Files.isDirectory(Path.of("dataplane")) ? Path.of("dataplane") : Path.of(".");
        int count = 0;
        for (final Map.Entry<String, Map<String, byte[]>> target : seeds().entrySet())
        {
            final Path directory = module.resolve(DIRECTORY).resolve(target.getKey());
            Files.createDirectories(directory);
            for (final Map.Entry<String, byte[]> seed : target.getValue().entrySet())
            {
                Files.write(directory.resolve(SEED_PREFIX + seed.getKey()), seed.getValue());
                count++;
            }
        }
        System.out.println("wrote " + count + " seeds under " + module.resolve(DIRECTORY));
    }
}
