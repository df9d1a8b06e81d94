package io.flyover.bench;

import io.flyover.dataplane.protocol.Checksums;
import io.flyover.dataplane.protocol.IpProtocol;
import io.flyover.dataplane.protocol.Ipv4Flyweight;
import io.flyover.dataplane.protocol.TcpFlyweight;
import org.agrona.concurrent.UnsafeBuffer;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;

import java.util.concurrent.TimeUnit;

import static java.nio.ByteOrder.BIG_ENDIAN;

/**
 * Full recompute against RFC 1624 incremental update, for the two rewrites the data plane does:
 * <ul>
 *   <li>IPv4 header checksum after a TTL decrement and a destination address change (relay/egress);</li>
 *   <li>TCP checksum after DNAT (destination address and port rewritten, VIP to backend), for a
 *       {@code packetLength}-byte IPv4/TCP packet: the full sum covers the whole segment.</li>
 * </ul>
 * Each invocation rewrites the fields (flipping between two values, so the packet stays valid) and
 * writes the new checksum; the full and incremental variants differ only in how the checksum is found.
 * {@code setup} checks both give the same, valid checksum.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@State(Scope.Thread)
public class ChecksumBenchmark
{
    private static final int IP = 0;
    private static final int TCP = Ipv4Flyweight.MIN_HEADER_LENGTH;
    private static final int BACKEND_IPV4 = 0x0A01_0203; // 10.1.2.3
    private static final int BACKEND_PORT = 8443;

    /** IPv4/TCP packet length in bytes (20 + 20 + payload). */
    @Param({"64", "1500"})
    public int packetLength;

    private final UnsafeBuffer ipBuffer = BenchPackets.newBuffer();
    private final UnsafeBuffer tcpBuffer = BenchPackets.newBuffer();
    private int tcpLength;
    private int flip;

    /**
     * Writes the packet and cross-checks full and incremental results.
     */
    @Setup
    public void setup()
    {
        BenchPackets.ipv4Tcp(ipBuffer, IP, packetLength);
        BenchPackets.ipv4Tcp(tcpBuffer, IP, packetLength);
        tcpLength = packetLength - TCP;
        for (int i = 0; i < 4; i++)
        {
            // Each incremental call moves to the other state; the full call after undoing the flip
            // rewrites that same state from scratch.
            final int incrementalIp = ipv4HeaderIncremental();
            flip ^= 1;
            final int fullIp = ipv4HeaderFull();
            final int incrementalTcp = tcpDnatIncremental();
            flip ^= 1;
            final int fullTcp = tcpDnatFull();
            if (incrementalIp != fullIp || incrementalTcp != fullTcp ||
                !Ipv4Flyweight.isHeaderChecksumValid(ipBuffer, IP, Ipv4Flyweight.MIN_HEADER_LENGTH) ||
                !Checksums.isValid(tcpBuffer, TCP, tcpLength,
                    Checksums.ipv4PseudoHeaderSum(tcpBuffer, IP, IpProtocol.TCP, tcpLength)))
            {
                throw new IllegalStateException("full and incremental checksums disagree");
            }
        }
    }

    private int nextFlip()
    {
        final int f = flip ^ 1;
        flip = f;
        return f;
    }

    /**
     * Rewrites TTL and destination address, then sums the whole header again.
     *
     * @return the new header checksum.
     */
    @Benchmark
    public int ipv4HeaderFull()
    {
        final int f = nextFlip();
        final UnsafeBuffer b = ipBuffer;
        Ipv4Flyweight.ttl(b, IP, 64 - f);
        Ipv4Flyweight.dstAddress(b, IP, BenchPackets.DST_IPV4 ^ f);
        final int checksum = Ipv4Flyweight.computeHeaderChecksum(b, IP, Ipv4Flyweight.MIN_HEADER_LENGTH);
        Ipv4Flyweight.headerChecksum(b, IP, checksum);
        return checksum;
    }

    /**
     * Rewrites TTL and destination address, updating the checksum by RFC 1624.
     *
     * @return the new header checksum.
     */
    @Benchmark
    public int ipv4HeaderIncremental()
    {
        final int f = nextFlip();
        final UnsafeBuffer b = ipBuffer;
        final int oldTtlWord = b.getShort(IP + Ipv4Flyweight.TTL_OFFSET, BIG_ENDIAN) & 0xFFFF;
        final int newTtlWord = ((64 - f) << 8) | (oldTtlWord & 0xFF);
        final int oldDst = Ipv4Flyweight.dstAddress(b, IP);
        final int newDst = BenchPackets.DST_IPV4 ^ f;
        b.putShort(IP + Ipv4Flyweight.TTL_OFFSET, (short)newTtlWord, BIG_ENDIAN);
        Ipv4Flyweight.dstAddress(b, IP, newDst);
        final int checksum = Checksums.update32(
            Checksums.update16(Ipv4Flyweight.headerChecksum(b, IP), oldTtlWord, newTtlWord), oldDst, newDst);
        Ipv4Flyweight.headerChecksum(b, IP, checksum);
        return checksum;
    }

    /**
     * DNAT: rewrites destination address and port, then sums pseudo-header and segment again.
     *
     * @return the new TCP checksum.
     */
    @Benchmark
    public int tcpDnatFull()
    {
        final int f = nextFlip();
        final UnsafeBuffer b = tcpBuffer;
        Ipv4Flyweight.dstAddress(b, IP, 0 == f ? BenchPackets.DST_IPV4 : BACKEND_IPV4);
        TcpFlyweight.dstPort(b, TCP, 0 == f ? 443 : BACKEND_PORT);
        return TcpFlyweight.writeChecksumIpv4(b, IP, TCP, tcpLength);
    }

    /**
     * DNAT: rewrites destination address and port, updating the checksum by RFC 1624.
     *
     * @return the new TCP checksum.
     */
    @Benchmark
    public int tcpDnatIncremental()
    {
        final int f = nextFlip();
        final UnsafeBuffer b = tcpBuffer;
        final int oldDst = Ipv4Flyweight.dstAddress(b, IP);
        final int oldPort = TcpFlyweight.dstPort(b, TCP);
        final int newDst = 0 == f ? BenchPackets.DST_IPV4 : BACKEND_IPV4;
        final int newPort = 0 == f ? 443 : BACKEND_PORT;
        Ipv4Flyweight.dstAddress(b, IP, newDst);
        TcpFlyweight.dstPort(b, TCP, newPort);
        final int checksum = Checksums.update16(
            Checksums.update32(TcpFlyweight.checksum(b, TCP), oldDst, newDst), oldPort, newPort);
        TcpFlyweight.checksum(b, TCP, checksum);
        return checksum;
    }
}
