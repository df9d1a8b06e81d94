package io.flyover.bench;

import io.flyover.dataplane.protocol.EthernetFlyweight;
import io.flyover.dataplane.protocol.IpProtocol;
import io.flyover.dataplane.protocol.Ipv4Flyweight;
import io.flyover.dataplane.protocol.Ipv6Flyweight;
import io.flyover.dataplane.protocol.TcpFlyweight;
import io.flyover.dataplane.protocol.UdpFlyweight;
import org.agrona.MutableDirectBuffer;
import org.agrona.concurrent.UnsafeBuffer;

/**
 * Packets the benchmarks work on, written once in a state's setup with Flyover's own writers (so
 * lengths and checksums are right and the parsers take their full, successful path).
 */
final class BenchPackets
{
    /** Size of every benchmark buffer: room for a 1500-byte packet behind the tunnel headers. */
    static final int BUFFER_LENGTH = 2048;

    static final int SRC_IPV4 = 0xC633_6407; // 198.51.100.7
    static final int DST_IPV4 = 0xCB00_710A; // 203.0.113.10
    static final long SRC_MAC = 0x0200_0000_0002L;
    static final long DST_MAC = 0x0200_0000_0001L;

    private BenchPackets()
    {
    }

    /**
     * An IPv4/UDP packet of {@code totalLength} bytes (20-byte header, 8-byte UDP header, zero payload),
     * with a valid header checksum and UDP checksum.
     *
     * @return the packet length.
     */
    static int ipv4Udp(final MutableDirectBuffer buffer, final int offset, final int totalLength)
    {
        final int l4 = offset + Ipv4Flyweight.MIN_HEADER_LENGTH;
        final int udpLength = totalLength - Ipv4Flyweight.MIN_HEADER_LENGTH;
        buffer.setMemory(l4, udpLength, (byte)0x5A);
        UdpFlyweight.writeHeader(buffer, l4, 40000, 443, udpLength);
        Ipv4Flyweight.writeHeader(
            buffer, offset, 0, totalLength, 0x1C46, Ipv4Flyweight.FLAG_DONT_FRAGMENT, 64, IpProtocol.UDP, SRC_IPV4, DST_IPV4);
        UdpFlyweight.writeChecksumIpv4(buffer, offset, l4);
        return totalLength;
    }

    /**
     * An IPv4/TCP packet of {@code totalLength} bytes (20-byte header, 20-byte TCP header, payload),
     * checksums valid.
     *
     * @return the packet length.
     */
    static int ipv4Tcp(final MutableDirectBuffer buffer, final int offset, final int totalLength)
    {
        final int l4 = offset + Ipv4Flyweight.MIN_HEADER_LENGTH;
        final int tcpLength = totalLength - Ipv4Flyweight.MIN_HEADER_LENGTH;
        buffer.setMemory(l4, tcpLength, (byte)0x5A);
        TcpFlyweight.writeHeader(buffer, l4, 40000, 443, 0x1122_3344, 0x5566_7788, TcpFlyweight.MIN_HEADER_LENGTH,
            TcpFlyweight.FLAG_ACK, 501, 0);
        Ipv4Flyweight.writeHeader(
            buffer, offset, 0, totalLength, 0x1C46, Ipv4Flyweight.FLAG_DONT_FRAGMENT, 64, IpProtocol.TCP, SRC_IPV4, DST_IPV4);
        TcpFlyweight.writeChecksumIpv4(buffer, offset, l4, tcpLength);
        return totalLength;
    }

    /**
     * An IPv6/TCP SYN with options (MSS, SACK permitted, timestamps, NOP, window scale: a 40-byte TCP
     * header) and no payload, 80 bytes, checksum valid.
     *
     * @return the packet length.
     */
    static int ipv6TcpOptions(final MutableDirectBuffer buffer, final int offset)
    {
        final int l4 = offset + Ipv6Flyweight.HEADER_LENGTH;
        int option = l4 + TcpFlyweight.MIN_HEADER_LENGTH;
        option += TcpFlyweight.writeMssOption(buffer, option, 1440);
        option += TcpFlyweight.writeSackPermittedOption(buffer, option);
        option += TcpFlyweight.writeTimestampsOption(buffer, option, 0x0102_0304, 0);
        option += TcpFlyweight.writeNopOption(buffer, option);
        option += TcpFlyweight.writeWindowScaleOption(buffer, option, 7);
        final int headerLength = option - l4;
        TcpFlyweight.writeHeader(buffer, l4, 40000, 443, 0x1122_3344, 0, headerLength, TcpFlyweight.FLAG_SYN, 64240, 0);
        Ipv6Flyweight.writeHeader(buffer, offset, 0, 0x12345, headerLength, IpProtocol.TCP, 64,
            0x2001_0DB8_0000_0000L, 1, 0x2001_0DB8_0000_0000L, 2);
        TcpFlyweight.writeChecksumIpv6(buffer, offset, l4, headerLength);
        return Ipv6Flyweight.HEADER_LENGTH + headerLength;
    }

    /**
     * An Ethernet header (no VLAN tag) for an IPv4 packet.
     *
     * @return the header length.
     */
    static int ethernetIpv4(final MutableDirectBuffer buffer, final int offset)
    {
        return EthernetFlyweight.writeHeader(buffer, offset, DST_MAC, SRC_MAC, EthernetFlyweight.ETHER_TYPE_IPV4);
    }

    static UnsafeBuffer newBuffer()
    {
        return new UnsafeBuffer(new byte[BUFFER_LENGTH]);
    }
}
