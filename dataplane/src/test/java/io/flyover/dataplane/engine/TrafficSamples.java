package io.flyover.dataplane.engine;

import java.util.Arrays;

import org.agrona.concurrent.UnsafeBuffer;

import io.flyover.dataplane.protocol.Icmpv4Flyweight;
import io.flyover.dataplane.protocol.IpProtocol;
import io.flyover.dataplane.protocol.Ipv4Flyweight;
import io.flyover.dataplane.protocol.Ipv6Flyweight;
import io.flyover.dataplane.protocol.TcpFlyweight;
import io.flyover.dataplane.protocol.UdpFlyweight;
import io.flyover.dataplane.world.IpPackets;

import static java.nio.ByteOrder.BIG_ENDIAN;

/**
 * Client and backend packets as byte arrays, valid and deliberately malformed, for the robustness
 * tests and the whole-pipeline fuzz corpus. Built with Flyover's own header writers; every
 * checksum is right unless a method says it lies.
 */
final class TrafficSamples
{
    private TrafficSamples()
    {
    }

    static byte[] tcp4(final int src, final int srcPort, final int dst, final int dstPort, final int flags, final int mss,
        final int payloadLength)
    {
        final UnsafeBuffer b = new UnsafeBuffer(new byte[64 + payloadLength]);
        final int length = IpPackets.tcp4(b, 0, src, srcPort, dst, dstPort, 1, 1, flags, mss,
            new UnsafeBuffer(new byte[payloadLength]), 0, payloadLength);
        return Arrays.copyOf(b.byteArray(), length);
    }

    static byte[] udp4(final int src, final int srcPort, final int dst, final int dstPort, final int payloadLength)
    {
        final UnsafeBuffer b = new UnsafeBuffer(new byte[64 + payloadLength]);
        final int length = IpPackets.udp4(b, 0, src, srcPort, dst, dstPort,
            new UnsafeBuffer(new byte[payloadLength]), 0, payloadLength);
        return Arrays.copyOf(b.byteArray(), length);
    }

    /**
     * An ICMPv4 message from {@code src} to {@code dst} with the given type, code and rest of
     * header, its body the quote (for errors, the start of the offending packet, any bytes at all).
     */
    static byte[] icmp4(final int src, final int dst, final int type, final int code, final int rest, final byte[] quote)
    {
        final int total = 20 + Icmpv4Flyweight.HEADER_LENGTH + quote.length;
        final UnsafeBuffer b = new UnsafeBuffer(new byte[total]);
        Ipv4Flyweight.writeHeader(b, 0, 0, total, 0, 0, 64, IpProtocol.ICMP, src, dst);
        Ipv4Flyweight.writeHeaderChecksum(b, 0);
        Icmpv4Flyweight.writeHeader(b, 20, type, code, rest);
        b.putBytes(28, quote);
        Icmpv4Flyweight.writeChecksum(b, 20, total - 20);
        return b.byteArray();
    }

    /** Fragmentation needed (next-hop MTU 1400) about {@code offending}, quoting its first {@code quoted} bytes. */
    static byte[] fragNeeded(final int src, final int dst, final byte[] offending, final int quoted)
    {
        return icmp4(src, dst, Icmpv4Flyweight.TYPE_DESTINATION_UNREACHABLE, Icmpv4Flyweight.CODE_FRAGMENTATION_NEEDED,
            1400, Arrays.copyOf(offending, Math.min(quoted, offending.length)));
    }

    /**
     * A UDP packet whose IPv4 header carries options (NOP, NOP, then a 4-byte option of type 0x88,
     * stream id), checksum right.
     */
    static byte[] udp4WithOptions(final int src, final int srcPort, final int dst, final int dstPort)
    {
        final byte[] plain = udp4(src, srcPort, dst, dstPort, 8);
        final byte[] out = new byte[plain.length + 8];
        System.arraycopy(plain, 0, out, 0, 20);
        final byte[] options = {Ipv4Flyweight.OPTION_NOP, Ipv4Flyweight.OPTION_NOP, (byte)0x88, 4, 0, 1, 0, 0};
        System.arraycopy(options, 0, out, 20, options.length);
        System.arraycopy(plain, 20, out, 28, plain.length - 20);
        final UnsafeBuffer b = new UnsafeBuffer(out);
        b.putByte(0, (byte)0x47);
        Ipv4Flyweight.totalLength(b, 0, out.length);
        Ipv4Flyweight.writeHeaderChecksum(b, 0);
        return out;
    }

    /** A first fragment (MF set) or a later one (offset 1480) of a UDP packet. */
    static byte[] fragment4(final int src, final int dst, final int dstPort, final boolean first)
    {
        final byte[] out = udp4(src, 7000, dst, dstPort, 32);
        final UnsafeBuffer b = new UnsafeBuffer(out);
        b.putShort(Ipv4Flyweight.FLAGS_FRAGMENT_OFFSET, (short)(first ? Ipv4Flyweight.FLAG_MORE_FRAGMENTS : 185), BIG_ENDIAN);
        Ipv4Flyweight.writeHeaderChecksum(b, 0);
        return out;
    }

    /**
     * An IPv6 UDP packet behind {@code extensions} destination-options headers of 8 bytes each
     * (PadN), to port 53 of {@code 2001:db8::10}; a chain past the parser's bound must be dropped.
     */
    static byte[] ipv6ExtensionChain(final int extensions)
    {
        final int udpLength = UdpFlyweight.HEADER_LENGTH + 4;
        final int payload = extensions * 8 + udpLength;
        final UnsafeBuffer b = new UnsafeBuffer(new byte[40 + payload]);
        Ipv6Flyweight.writeHeader(b, 0, 0, 0, payload,
            0 == extensions ? IpProtocol.UDP : IpProtocol.IPV6_DESTINATION_OPTIONS, 64,
            0x2001_0db8_0000_0000L, 7, 0x2001_0db8_0000_0000L, 0x10);
        int at = 40;
        for (int i = 0; i < extensions; i++)
        {
            b.putByte(at, (byte)(i == extensions - 1 ? IpProtocol.UDP : IpProtocol.IPV6_DESTINATION_OPTIONS));
            b.putByte(at + 1, (byte)0);
            b.putByte(at + 2, (byte)1); // PadN
            b.putByte(at + 3, (byte)4);
            at += 8;
        }
        UdpFlyweight.writeHeader(b, at, 4000, 53, udpLength);
        UdpFlyweight.writeChecksumIpv6(b, 0, at);
        return b.byteArray();
    }

    /**
     * The packet with its IPv4 total length set to {@code totalLength} (a lie when it differs from
     * the bytes there are) and the header checksum made right again, so only the length lies.
     */
    static byte[] lyingIpv4Length(final byte[] packet, final int totalLength)
    {
        final byte[] out = packet.clone();
        final UnsafeBuffer b = new UnsafeBuffer(out);
        Ipv4Flyweight.totalLength(b, 0, totalLength);
        Ipv4Flyweight.writeHeaderChecksum(b, 0);
        return out;
    }

    /** The packet with its UDP length field set to {@code udpLength} (IPv4, no options). */
    static byte[] lyingUdpLength(final byte[] packet, final int udpLength)
    {
        final byte[] out = packet.clone();
        new UnsafeBuffer(out).putShort(20 + 4, (short)udpLength, BIG_ENDIAN);
        return out;
    }

    /** The packet with its TCP data offset set to {@code words} 32-bit words (IPv4, no options). */
    static byte[] lyingTcpDataOffset(final byte[] packet, final int words)
    {
        final byte[] out = packet.clone();
        out[20 + TcpFlyweight.DATA_OFFSET_OFFSET] = (byte)((words & 0xF) << 4);
        return out;
    }
}
