package io.flyover.dataplane.protocol;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.HexFormat;

/**
 * Inner packets for tunnel tests: small, valid IPv4/IPv6 packets carrying UDP, TCP or ICMP, with a
 * correct IPv4 header checksum. Test-only, allocates freely.
 */
final class TestPackets
{
    static final int ICMP = 1;
    static final int TCP = 6;
    static final int UDP = 17;
    static final int ICMPV6 = 58;

    private TestPackets()
    {
    }

    static byte[] hex(final String hex)
    {
        return HexFormat.of().parseHex(hex.replaceAll("\\s+", ""));
    }

    static String hex(final byte[] bytes, final int offset, final int length)
    {
        return HexFormat.of().formatHex(bytes, offset, offset + length);
    }

    /**
     * @return an IPv4 packet: 20-byte header (or 24 with one NOP-padded option when
     * {@code withOption}), then an L4 header (UDP 8, TCP 20, ICMP echo 8) and the payload.
     */
    static byte[] ipv4(
        final int protocol,
        final int src,
        final int dst,
        final int srcPort,
        final int dstPort,
        final byte[] payload,
        final boolean withOption)
    {
        final int ihl = withOption ? 24 : 20;
        final byte[] l4 = l4(protocol, srcPort, dstPort, payload);
        final ByteBuffer b = ByteBuffer.allocate(ihl + l4.length).order(ByteOrder.BIG_ENDIAN);
        b.put((byte)(0x40 | (ihl >>> 2))).put((byte)0).putShort((short)(ihl + l4.length));
        b.putShort((short)0x1234).putShort((short)0);
        b.put((byte)64).put((byte)protocol).putShort((short)0);
        b.putInt(src).putInt(dst);
        if (withOption)
        {
            b.putInt(0x01010100); // NOP, NOP, NOP, EOL
        }
        b.put(l4);
        final byte[] packet = b.array();
        final int checksum = checksum(packet, 0, ihl);
        packet[10] = (byte)(checksum >>> 8);
        packet[11] = (byte)checksum;
        return packet;
    }

    /**
     * @return an IPv6 packet: 40-byte fixed header with no extension header, then the L4 header
     * (for ICMP pass {@link #ICMPV6}) and the payload.
     */
    static byte[] ipv6(
        final int protocol,
        final byte[] src,
        final byte[] dst,
        final int srcPort,
        final int dstPort,
        final byte[] payload)
    {
        final byte[] l4 = l4(protocol, srcPort, dstPort, payload);
        final ByteBuffer b = ByteBuffer.allocate(40 + l4.length).order(ByteOrder.BIG_ENDIAN);
        b.putInt(0x6000_0000).putShort((short)l4.length).put((byte)protocol).put((byte)64);
        b.put(src).put(dst).put(l4);
        return b.array();
    }

    private static byte[] l4(final int protocol, final int srcPort, final int dstPort, final byte[] payload)
    {
        final ByteBuffer b;
        switch (protocol)
        {
            case UDP ->
            {
                b = ByteBuffer.allocate(8 + payload.length);
                b.putShort((short)srcPort).putShort((short)dstPort).putShort((short)(8 + payload.length)).putShort((short)0);
            }
            case TCP ->
            {
                b = ByteBuffer.allocate(20 + payload.length);
                b.putShort((short)srcPort).putShort((short)dstPort).putInt(1000).putInt(0);
                b.putShort((short)0x5002).putShort((short)65535).putShort((short)0).putShort((short)0);
            }
            default ->
            {
                // ICMP / ICMPv6 echo request; id and sequence from the "ports".
                b = ByteBuffer.allocate(8 + payload.length);
                b.put((byte)(ICMPV6 == protocol ? 128 : 8)).put((byte)0).putShort((short)0);
                b.putShort((short)srcPort).putShort((short)dstPort);
            }
        }
        b.put(payload);
        return b.array();
    }

    static int checksum(final byte[] bytes, final int offset, final int length)
    {
        int sum = 0;
        for (int i = 0; i < length; i += 2)
        {
            sum += ((bytes[offset + i] & 0xFF) << 8) | (i + 1 < length ? bytes[offset + i + 1] & 0xFF : 0);
        }
        while ((sum >>> 16) != 0)
        {
            sum = (sum & 0xFFFF) + (sum >>> 16);
        }
        return ~sum & 0xFFFF;
    }

    /**
     * @return the offset of the L4 header within a packet made by {@link #ipv4} or {@link #ipv6}.
     */
    static int l4Offset(final byte[] inner)
    {
        return 6 == (inner[0] & 0xFF) >>> 4 ? 40 : (inner[0] & 0x0F) << 2;
    }

    /**
     * @return the L4 protocol of a packet made by {@link #ipv4} or {@link #ipv6}.
     */
    static int protocol(final byte[] inner)
    {
        return 6 == (inner[0] & 0xFF) >>> 4 ? inner[6] & 0xFF : inner[9] & 0xFF;
    }
}
