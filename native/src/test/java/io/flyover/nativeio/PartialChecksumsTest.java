package io.flyover.nativeio;

import io.flyover.dataplane.protocol.Checksums;
import io.flyover.dataplane.protocol.IpProtocol;
import io.flyover.dataplane.world.IpPackets;
import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.Test;

import java.nio.ByteOrder;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A frame whose L4 checksum field holds only the pseudo-header sum (what checksum offload leaves
 * on a veth) gets the full checksum, the one the packet builder computes.
 */
class PartialChecksumsTest
{
    private static final int ETH = 14;

    @Test
    void shouldCompleteUdpOverIpv4ToTheFullChecksum()
    {
        final UnsafeBuffer frame = new UnsafeBuffer(new byte[256]);
        final UnsafeBuffer payload = new UnsafeBuffer("partial checksum".getBytes(java.nio.charset.StandardCharsets.US_ASCII));
        final int length = ETH + IpPackets.udp4(
            frame, ETH, Ipv4.parse("10.0.0.1"), 4000, Ipv4.parse("203.0.113.9"), 53, payload, 0, payload.capacity());
        frame.putShort(12, (short)0x0800, ByteOrder.BIG_ENDIAN);
        final int udp = ETH + 20;
        final int full = frame.getShort(udp + 6, ByteOrder.BIG_ENDIAN) & 0xFFFF;
        final int udpLength = length - udp;
        frame.putShort(udp + 6, (short)Checksums.ipv4PseudoHeaderSum(frame, ETH, IpProtocol.UDP, udpLength), ByteOrder.BIG_ENDIAN);

        assertTrue(PartialChecksums.complete(frame, 0, length));
        assertEquals(full, frame.getShort(udp + 6, ByteOrder.BIG_ENDIAN) & 0xFFFF);
        assertTrue(Checksums.isValid(frame, udp, udpLength, Checksums.ipv4PseudoHeaderSum(frame, ETH, IpProtocol.UDP, udpLength)));
    }

    @Test
    void shouldCompleteTcpOverIpv4AndUdpOverIpv6()
    {
        final UnsafeBuffer frame = new UnsafeBuffer(new byte[256]);
        final int length = ETH + IpPackets.tcp4(frame, ETH, Ipv4.parse("10.0.0.1"), 4000, Ipv4.parse("203.0.113.9"), 443,
            7, 0, 0x02, 0, frame, 0, 0);
        frame.putShort(12, (short)0x0800, ByteOrder.BIG_ENDIAN);
        final int tcp = ETH + 20;
        final int full = frame.getShort(tcp + 16, ByteOrder.BIG_ENDIAN) & 0xFFFF;
        frame.putShort(tcp + 16, (short)0x1234);
        assertTrue(PartialChecksums.complete(frame, 0, length));
        assertEquals(full, frame.getShort(tcp + 16, ByteOrder.BIG_ENDIAN) & 0xFFFF);

        final UnsafeBuffer frame6 = new UnsafeBuffer(new byte[256]);
        final UnsafeBuffer payload = new UnsafeBuffer(new byte[] {1, 2, 3});
        final int length6 = ETH + IpPackets.udp6(frame6, ETH, 0x20010db8_00000000L, 1, 5000, 0x20010db8_00000000L, 2, 53,
            payload, 0, 3);
        frame6.putShort(12, (short)0x86DD, ByteOrder.BIG_ENDIAN);
        final int udp = ETH + 40;
        final int full6 = frame6.getShort(udp + 6, ByteOrder.BIG_ENDIAN) & 0xFFFF;
        frame6.putShort(udp + 6, (short)0);
        assertTrue(PartialChecksums.complete(frame6, 0, length6));
        assertEquals(full6, frame6.getShort(udp + 6, ByteOrder.BIG_ENDIAN) & 0xFFFF);
    }

    @Test
    void shouldLeaveFramesItCannotReadUntouchedAtEveryTruncation()
    {
        final UnsafeBuffer frame = new UnsafeBuffer(new byte[128]);
        final int length = ETH + IpPackets.udp4(frame, ETH, 1, 2, 3, 4, frame, 0, 0);
        frame.putShort(12, (short)0x0800, ByteOrder.BIG_ENDIAN);
        final byte[] before = new byte[128];
        frame.getBytes(0, before);
        for (int cut = 0; cut < length; cut++)
        {
            assertFalse(PartialChecksums.complete(frame, 0, cut), "cut at " + cut);
        }
        assertArrayEquals(before, frame.byteArray());

        frame.putShort(ETH + 6, (short)0x2001, ByteOrder.BIG_ENDIAN); // a fragment
        assertFalse(PartialChecksums.complete(frame, 0, length));
        frame.putShort(12, (short)0x0806, ByteOrder.BIG_ENDIAN); // ARP
        assertFalse(PartialChecksums.complete(frame, 0, length));
    }
}
