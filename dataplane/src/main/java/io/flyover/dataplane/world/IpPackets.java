package io.flyover.dataplane.world;

import org.agrona.MutableDirectBuffer;

import io.flyover.dataplane.protocol.IpProtocol;
import io.flyover.dataplane.protocol.Ipv4Flyweight;
import io.flyover.dataplane.protocol.Ipv6Flyweight;
import io.flyover.dataplane.protocol.TcpFlyweight;
import io.flyover.dataplane.protocol.UdpFlyweight;

/**
 * Builds the raw IPv4 packets the in-memory world's clients and backends send, with correct
 * checksums. For harness code; any thread, allocation-free.
 */
public final class IpPackets
{
    private IpPackets()
    {
    }

    /**
     * Writes an IPv4/UDP packet.
     *
     * @param buffer   where to write.
     * @param offset   where the IPv4 header starts.
     * @param src      source address.
     * @param srcPort  source port.
     * @param dst      destination address.
     * @param dstPort  destination port.
     * @param payload  holds the payload.
     * @param payloadOffset where it starts.
     * @param payloadLength its length.
     * @return the packet's length.
     */
    public static int udp4(
        final MutableDirectBuffer buffer,
        final int offset,
        final int src,
        final int srcPort,
        final int dst,
        final int dstPort,
        final org.agrona.DirectBuffer payload,
        final int payloadOffset,
        final int payloadLength)
    {
        final int udpLength = UdpFlyweight.HEADER_LENGTH + payloadLength;
        final int total = 20 + udpLength;
        Ipv4Flyweight.writeHeader(buffer, offset, 0, total, 0, 0x4000, 64, IpProtocol.UDP, src, dst);
        Ipv4Flyweight.writeHeaderChecksum(buffer, offset);
        UdpFlyweight.writeHeader(buffer, offset + 20, srcPort, dstPort, udpLength);
        buffer.putBytes(offset + 28, payload, payloadOffset, payloadLength);
        UdpFlyweight.writeChecksumIpv4(buffer, offset, offset + 20);
        return total;
    }

    /**
     * Writes an IPv6/UDP packet.
     *
     * @param buffer   where to write.
     * @param offset   where the IPv6 header starts.
     * @param srcHigh  source address, first 8 bytes.
     * @param srcLow   source address, last 8 bytes.
     * @param srcPort  source port.
     * @param dstHigh  destination address, first 8 bytes.
     * @param dstLow   destination address, last 8 bytes.
     * @param dstPort  destination port.
     * @param payload  holds the payload.
     * @param payloadOffset where it starts.
     * @param payloadLength its length.
     * @return the packet's length.
     */
    public static int udp6(
        final MutableDirectBuffer buffer,
        final int offset,
        final long srcHigh,
        final long srcLow,
        final int srcPort,
        final long dstHigh,
        final long dstLow,
        final int dstPort,
        final org.agrona.DirectBuffer payload,
        final int payloadOffset,
        final int payloadLength)
    {
        final int udpLength = UdpFlyweight.HEADER_LENGTH + payloadLength;
        Ipv6Flyweight.writeHeader(buffer, offset, 0, 0, udpLength, IpProtocol.UDP, 64, srcHigh, srcLow, dstHigh, dstLow);
        UdpFlyweight.writeHeader(buffer, offset + 40, srcPort, dstPort, udpLength);
        buffer.putBytes(offset + 48, payload, payloadOffset, payloadLength);
        UdpFlyweight.writeChecksumIpv6(buffer, offset, offset + 40);
        return 40 + udpLength;
    }

    /**
     * Writes an IPv4/TCP segment, with an MSS option when {@code mss > 0}.
     *
     * @param buffer   where to write.
     * @param offset   where the IPv4 header starts.
     * @param src      source address.
     * @param srcPort  source port.
     * @param dst      destination address.
     * @param dstPort  destination port.
     * @param sequence sequence number.
     * @param ack      acknowledgment number.
     * @param flags    TCP flags.
     * @param mss      MSS option value, or 0 for none.
     * @param payload  holds the payload.
     * @param payloadOffset where it starts.
     * @param payloadLength its length.
     * @return the packet's length.
     */
    public static int tcp4(
        final MutableDirectBuffer buffer,
        final int offset,
        final int src,
        final int srcPort,
        final int dst,
        final int dstPort,
        final int sequence,
        final int ack,
        final int flags,
        final int mss,
        final org.agrona.DirectBuffer payload,
        final int payloadOffset,
        final int payloadLength)
    {
        final int headerLength = mss > 0 ? 24 : 20;
        final int tcpLength = headerLength + payloadLength;
        final int total = 20 + tcpLength;
        Ipv4Flyweight.writeHeader(buffer, offset, 0, total, 0, 0x4000, 64, IpProtocol.TCP, src, dst);
        Ipv4Flyweight.writeHeaderChecksum(buffer, offset);
        final int tcp = offset + 20;
        TcpFlyweight.writeHeader(buffer, tcp, srcPort, dstPort, sequence, ack, headerLength, flags, 65_535, 0);
        if (mss > 0)
        {
            TcpFlyweight.writeMssOption(buffer, tcp + 20, mss);
        }
        if (payloadLength > 0)
        {
            buffer.putBytes(tcp + headerLength, payload, payloadOffset, payloadLength);
        }
        TcpFlyweight.writeChecksumIpv4(buffer, offset, tcp, tcpLength);
        return total;
    }
}
