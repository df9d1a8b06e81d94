package io.flyover.bench;

import io.flyover.dataplane.protocol.FlyoverRoute;
import io.flyover.dataplane.protocol.GeneveEncapsulator;
import io.flyover.dataplane.protocol.GeneveFlyweight;
import io.flyover.dataplane.protocol.GeneveParser;
import io.flyover.dataplane.protocol.IpProtocol;
import io.flyover.dataplane.protocol.Ipv4Flyweight;
import io.flyover.dataplane.protocol.ParseVerdict;
import io.flyover.dataplane.protocol.ParsedTunnel;
import io.flyover.dataplane.protocol.SipHash24;
import io.flyover.dataplane.protocol.TunnelKeys;
import io.flyover.dataplane.protocol.TunnelPacketBuilder;
import io.flyover.dataplane.protocol.TunnelTag;
import org.agrona.concurrent.UnsafeBuffer;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;

import java.util.concurrent.TimeUnit;

/**
 * The tunnel's per-packet work on one 64-byte inner IPv4/UDP packet:
 * <ul>
 *   <li>{@link GeneveEncapsulator#writeHeaders}: outer IPv4 (with its header checksum), UDP, Geneve
 *       and the Flyover option written in front of the inner packet (tag left as is);</li>
 *   <li>{@link TunnelTag#compute}: SipHash-2-4 over the 45 bytes the design names for an inner IPv4
 *       packet (Geneve base header, the option before the tag, inner addresses, protocol, ports),
 *       read in place; and {@link TunnelTag#verify} (key lookup, compute, compare with the stored tag);</li>
 *   <li>{@link GeneveParser#parse} of the tunnel header (fast path: the Flyover option alone);</li>
 *   <li>{@link SipHash24#hash} over 32 contiguous bytes, the algorithm alone.</li>
 * </ul>
 * Target (issue 2): at most 25 ns per tag; no allocation.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@State(Scope.Thread)
public class TunnelBenchmark
{
    private static final int KEY_ID = 3;
    private static final long K0 = 0x0706_0504_0302_0100L;
    private static final long K1 = 0x0F0E_0D0C_0B0A_0908L;
    private static final int INNER_LENGTH = 64;
    private static final long ROUTE = FlyoverRoute.pack(11, 22, 33, FlyoverRoute.UNUSED);

    private final TunnelKeys keys = TunnelKeys.of(KEY_ID, K0, K1);
    private final UnsafeBuffer encapBuffer = BenchPackets.newBuffer();
    private final UnsafeBuffer tunnelBuffer = BenchPackets.newBuffer();
    private final UnsafeBuffer sipBuffer = new UnsafeBuffer(new byte[32]);
    private final ParsedTunnel tunnel = new ParsedTunnel();
    private int tunnelLength;
    private int geneveOffset;
    private int optionOffset;
    private int innerOffset;
    private int innerL4Offset;
    private long sendTimeUs = 1_764_000_000_000_000L;

    /**
     * Builds and tags a tunnel packet, finds its offsets with the parser, and checks the tag verifies.
     */
    @Setup
    public void setup()
    {
        BenchPackets.ipv4Udp(encapBuffer, GeneveEncapsulator.ENCAP_LENGTH, INNER_LENGTH);

        final UnsafeBuffer inner = BenchPackets.newBuffer();
        BenchPackets.ipv4Udp(inner, 0, INNER_LENGTH);
        tunnelLength = new TunnelPacketBuilder()
            .keys(keys)
            .keyId(KEY_ID)
            .route(ROUTE)
            .vni(42)
            .flowHash(0x1234_5678)
            .sendTimeUs(sendTimeUs)
            .build(tunnelBuffer, 0, inner, 0, INNER_LENGTH);
        if (ParseVerdict.OK != parseGeneve())
        {
            throw new IllegalStateException("tunnel packet does not parse");
        }
        geneveOffset = tunnel.geneveOffset();
        optionOffset = tunnel.flyoverOptionOffset();
        innerOffset = tunnel.innerOffset();
        innerL4Offset = innerOffset + Ipv4Flyweight.MIN_HEADER_LENGTH;
        if (ParseVerdict.OK != verifyTagIpv4())
        {
            throw new IllegalStateException("tag does not verify");
        }
        for (int i = 0; i < 32; i++)
        {
            sipBuffer.putByte(i, (byte)i);
        }
    }

    /**
     * @return the packet length written.
     */
    @Benchmark
    public int writeHeaders()
    {
        final long now = ++sendTimeUs;
        return GeneveEncapsulator.writeHeaders(
            encapBuffer,
            0,
            INNER_LENGTH,
            0xC000_0201,
            0xC633_6401,
            GeneveEncapsulator.udpSourcePort(0x1234_5678),
            GeneveFlyweight.PROTOCOL_TYPE_IPV4,
            false,
            42,
            false,
            1,
            8,
            KEY_ID,
            ROUTE,
            now);
    }

    /**
     * @return the tag.
     */
    @Benchmark
    public long computeTagIpv4()
    {
        return TunnelTag.compute(
            K0, K1, tunnelBuffer, geneveOffset, optionOffset, innerOffset, IpProtocol.UDP, innerL4Offset);
    }

    /**
     * @return the verdict.
     */
    @Benchmark
    public ParseVerdict verifyTagIpv4()
    {
        return TunnelTag.verify(keys, tunnelBuffer, geneveOffset, optionOffset, innerOffset, IpProtocol.UDP, innerL4Offset);
    }

    /**
     * @return the verdict.
     */
    @Benchmark
    public ParseVerdict parseGeneve()
    {
        return GeneveParser.parse(
            tunnelBuffer, GeneveEncapsulator.GENEVE_OFFSET, tunnelLength - GeneveEncapsulator.GENEVE_OFFSET, tunnel);
    }

    /**
     * @return the hash.
     */
    @Benchmark
    public long sipHash32()
    {
        return SipHash24.hash(K0, K1, sipBuffer, 0, 32);
    }
}
