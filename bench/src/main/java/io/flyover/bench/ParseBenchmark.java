package io.flyover.bench;

import io.flyover.dataplane.protocol.PacketParser;
import io.flyover.dataplane.protocol.ParseVerdict;
import io.flyover.dataplane.protocol.ParsedPacket;
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
 * {@link PacketParser} on one packet, over and over (hot in L1: this measures the parser's
 * instructions, not memory): a 64-byte IPv4/UDP packet raw (as from a TUN device or a Geneve inner
 * packet) and behind an Ethernet header, with the IPv4 header checksum verified (the default) and
 * not, and an 80-byte IPv6/TCP SYN with a 40-byte TCP header full of options.
 * <p>
 * Target (issue 2): at most 10 ns to parse the 64-byte IPv4/UDP packet; no allocation.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@State(Scope.Thread)
public class ParseBenchmark
{
    private final ParsedPacket packet = new ParsedPacket();
    private final UnsafeBuffer ipv4Udp = BenchPackets.newBuffer();
    private final UnsafeBuffer ethernetIpv4Udp = BenchPackets.newBuffer();
    private final UnsafeBuffer ipv6TcpOptions = BenchPackets.newBuffer();
    private int ipv4UdpLength;
    private int ethernetIpv4UdpLength;
    private int ipv6TcpOptionsLength;

    /**
     * Writes the packets and checks that each parses to {@link ParseVerdict#OK}.
     */
    @Setup
    public void setup()
    {
        ipv4UdpLength = BenchPackets.ipv4Udp(ipv4Udp, 0, 64);
        final int l2 = BenchPackets.ethernetIpv4(ethernetIpv4Udp, 0);
        ethernetIpv4UdpLength = l2 + BenchPackets.ipv4Udp(ethernetIpv4Udp, l2, 64);
        ipv6TcpOptionsLength = BenchPackets.ipv6TcpOptions(ipv6TcpOptions, 0);

        expectOk(parseIpv4Udp64(), "ipv4Udp");
        expectOk(parseIpv4Udp64NoChecksum(), "ipv4Udp no checksum");
        expectOk(parseEthernetIpv4Udp64(), "ethernetIpv4Udp");
        expectOk(parseIpv6TcpOptions(), "ipv6TcpOptions");
        if (1440 != packet.tcpMss)
        {
            throw new IllegalStateException("MSS option not found: " + packet);
        }
    }

    private static void expectOk(final ParseVerdict verdict, final String what)
    {
        if (ParseVerdict.OK != verdict)
        {
            throw new IllegalStateException(what + " parsed to " + verdict);
        }
    }

    /**
     * @return the verdict.
     */
    @Benchmark
    public ParseVerdict parseIpv4Udp64()
    {
        return PacketParser.parseIp(ipv4Udp, 0, ipv4UdpLength, packet);
    }

    /**
     * @return the verdict.
     */
    @Benchmark
    public ParseVerdict parseIpv4Udp64NoChecksum()
    {
        return PacketParser.parseIp(ipv4Udp, 0, ipv4UdpLength, packet, false);
    }

    /**
     * @return the verdict.
     */
    @Benchmark
    public ParseVerdict parseEthernetIpv4Udp64()
    {
        return PacketParser.parseEthernet(ethernetIpv4Udp, 0, ethernetIpv4UdpLength, packet);
    }

    /**
     * @return the verdict.
     */
    @Benchmark
    public ParseVerdict parseIpv6TcpOptions()
    {
        return PacketParser.parseIp(ipv6TcpOptions, 0, ipv6TcpOptionsLength, packet);
    }
}
