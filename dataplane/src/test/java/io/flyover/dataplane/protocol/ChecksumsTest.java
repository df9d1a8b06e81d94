package io.flyover.dataplane.protocol;

import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.Test;

import static io.flyover.dataplane.protocol.Hex.buffer;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ChecksumsTest
{
    @Test
    void shouldSumRfc1071Example()
    {
        // RFC 1071 section 3: 0001 f203 f4f5 f6f7 sums to 2ddf0, folded ddf2.
        final UnsafeBuffer data = buffer("0001f203f4f5f6f7");

        assertEquals(0xDDF2, Checksums.sum(data, 0, 8));
        assertEquals(0x220D, Checksums.checksum(data, 0, 8));
    }

    @Test
    void shouldSumAtAnyAlignmentAndLength()
    {
        // The same words behind a 3-byte prefix, so the 8-byte loop runs unaligned.
        final UnsafeBuffer data = buffer("ffffff" + "0001f203f4f5f6f7" + "0001f203f4f5f6f7" + "00");

        assertEquals(Checksums.fold(0xDDF2L + 0xDDF2L), Checksums.sum(data, 3, 16));
        assertEquals(Checksums.fold(0xDDF2L + 0xDDF2L), Checksums.sum(data, 3, 17));
    }

    @Test
    void shouldPadOddLengthWithZeroByte()
    {
        final UnsafeBuffer data = buffer("123456");

        assertEquals(0x1234 + 0x5600, Checksums.sum(data, 0, 3));
        assertEquals(0x5600, Checksums.sum(data, 2, 1));
        assertEquals(0, Checksums.sum(data, 0, 0));
    }

    @Test
    void shouldComputePublishedIpv4HeaderChecksum()
    {
        // The worked example on Wikipedia's "Internet checksum" / IPv4 header checksum pages: b861.
        final UnsafeBuffer header = buffer("450000730000400040110000c0a80001c0a800c7");

        assertEquals(0xB861, Checksums.checksum(header, 0, 20));
        header.putShort(10, (short)0xB861, java.nio.ByteOrder.BIG_ENDIAN);
        assertTrue(Checksums.isValid(header, 0, 20, 0));
    }

    @Test
    void shouldUpdateLikeRfc1624Example()
    {
        // RFC 1624 section 4: HC 0xdd2f, m 0x5555 -> m' 0x3285 gives HC' 0x0000 with equation 3.
        assertEquals(0x0000, Checksums.update16(0xDD2F, 0x5555, 0x3285));
    }

    @Test
    void shouldComputeUdpChecksumOverIpv4PseudoHeader()
    {
        final UnsafeBuffer packet = buffer(GoldenPackets.IPV4_UDP);
        final int pseudo = Checksums.ipv4PseudoHeaderSum(packet, 0, IpProtocol.UDP, 16);

        assertTrue(Checksums.isValid(packet, 20, 16, pseudo));
        assertEquals(pseudo, Checksums.ipv4PseudoHeaderSum(0xC0A80001, 0xC0A800C7, IpProtocol.UDP, 16));
        packet.putShort(26, (short)0);
        assertEquals(0x84E4, Checksums.checksum(packet, 20, 16, pseudo));
    }

    @Test
    void shouldComputeUdpAndIcmpv6ChecksumsOverIpv6PseudoHeader()
    {
        final UnsafeBuffer udp = buffer(GoldenPackets.IPV6_UDP);
        final int udpPseudo = Checksums.ipv6PseudoHeaderSum(udp, 0, IpProtocol.UDP, 16);
        assertTrue(Checksums.isValid(udp, 40, 16, udpPseudo));
        udp.putShort(46, (short)0);
        assertEquals(0xAB88, Checksums.checksum(udp, 40, 16, udpPseudo));

        final UnsafeBuffer icmp = buffer(GoldenPackets.IPV6_ICMPV6_ECHO);
        final int icmpPseudo = Checksums.ipv6PseudoHeaderSum(icmp, 8, 24, IpProtocol.ICMPV6, 16);
        assertTrue(Checksums.isValid(icmp, 40, 16, icmpPseudo));
    }

    @Test
    void shouldRejectCorruptedData()
    {
        final UnsafeBuffer packet = buffer(GoldenPackets.IPV4_UDP);
        packet.putByte(30, (byte)(packet.getByte(30) ^ 0x10));

        assertFalse(Checksums.isValid(packet, 20, 16, Checksums.ipv4PseudoHeaderSum(packet, 0, IpProtocol.UDP, 16)));
    }

    @Test
    void shouldUpdateIpv4AddressChangeLikeFullRecompute()
    {
        final UnsafeBuffer packet = buffer(GoldenPackets.IPV4_UDP);
        final int oldAddress = Ipv4Flyweight.srcAddress(packet, 0);
        final int newAddress = 0xCB007105; // 203.0.113.5
        final int ipChecksum = Ipv4Flyweight.headerChecksum(packet, 0);
        final int udpChecksum = UdpFlyweight.checksum(packet, 20);

        Ipv4Flyweight.srcAddress(packet, 0, newAddress);
        final int ipUpdated = Checksums.update32(ipChecksum, oldAddress, newAddress);
        final int udpUpdated = Checksums.updateUdp32(udpChecksum, oldAddress, newAddress);

        assertEquals(Ipv4Flyweight.computeHeaderChecksum(packet, 0, 20), ipUpdated);
        UdpFlyweight.checksum(packet, 20, 0);
        final int recomputed = Checksums.udpChecksum(
            Checksums.checksum(packet, 20, 16, Checksums.ipv4PseudoHeaderSum(packet, 0, IpProtocol.UDP, 16)));
        assertEquals(recomputed, udpUpdated);
    }

    @Test
    void shouldUpdateIpv6AddressChangeLikeFullRecompute()
    {
        final UnsafeBuffer packet = buffer(GoldenPackets.IPV6_UDP);
        final long oldHigh = Ipv6Flyweight.dstAddressHigh(packet, 0);
        final long oldLow = Ipv6Flyweight.dstAddressLow(packet, 0);
        final long newHigh = 0xFD00_1234_5678_9ABCL;
        final long newLow = 0xDEF0_0000_0000_0042L;
        final int checksum = UdpFlyweight.checksum(packet, 40);

        Ipv6Flyweight.dstAddress(packet, 0, newHigh, newLow);
        final int updated = Checksums.updateUdp128(checksum, oldHigh, oldLow, newHigh, newLow);

        assertEquals(UdpFlyweight.writeChecksumIpv6(packet, 0, 40), updated);
    }

    @Test
    void shouldSendComputedZeroUdpChecksumAsAllOnes()
    {
        final TestPacketBuilder builder = TestPacketBuilder.udp4();
        builder.ethernet = false;
        builder.payload = new byte[2];
        final UnsafeBuffer packet = new UnsafeBuffer(builder.build());

        // Choose the two payload bytes so the one's complement sum of pseudo-header + datagram is 0xffff.
        UdpFlyweight.checksum(packet, 20, 0);
        final int sum = Checksums.fold(
            Checksums.ipv4PseudoHeaderSum(packet, 0, IpProtocol.UDP, 10) + (long)Checksums.sum(packet, 20, 10));
        packet.putShort(28, (short)(0xFFFF - sum), java.nio.ByteOrder.BIG_ENDIAN);

        assertEquals(0xFFFF, UdpFlyweight.writeChecksumIpv4(packet, 0, 20));
        assertTrue(Checksums.isValid(packet, 20, 10, Checksums.ipv4PseudoHeaderSum(packet, 0, IpProtocol.UDP, 10)));
    }

    @Test
    void shouldKeepAbsentUdpChecksumAbsentAndMapUpdatedZeroToAllOnes()
    {
        assertEquals(0, Checksums.updateUdp16(0, 0x1234, 0x4321));
        assertEquals(0, Checksums.updateUdp32(0, 0x0A000001, 0x0A000002));
        assertEquals(0, Checksums.updateUdp128(0, 1, 2, 3, 4));

        // ~(~0x0001 + ~0x0000 + 0x0001) = ~0xffff = 0: sent as 0xffff for UDP, kept as 0 for TCP.
        assertEquals(0x0000, Checksums.update16(0x0001, 0x0000, 0x0001));
        assertEquals(0xFFFF, Checksums.updateUdp16(0x0001, 0x0000, 0x0001));
        assertEquals(0xFFFF, Checksums.udpChecksum(0));
        assertEquals(0x1234, Checksums.udpChecksum(0x1234));
    }

    @Test
    void shouldUpdateFieldAtOddOffsetWithSwappedBytes()
    {
        final UnsafeBuffer data = buffer("0102030405060708090a");
        final int before = Checksums.checksum(data, 0, 10);

        data.putShort(3, (short)0xBEEF, java.nio.ByteOrder.BIG_ENDIAN); // was 0x0405, at an odd offset
        final int updated = Checksums.update16(before, 0x0504, 0xEFBE);

        assertEquals(Checksums.checksum(data, 0, 10), updated);
        assertNotEquals(Checksums.update16(before, 0x0405, 0xBEEF), updated);
    }

    @Test
    void shouldFoldWideSums()
    {
        assertEquals(0, Checksums.fold(0));
        assertEquals(0xFFFF, Checksums.fold(0xFFFF));
        assertEquals(1, Checksums.fold(0x10000));
        assertEquals(0xFFFF, Checksums.fold(0xFFFF_FFFFL));
        assertEquals(0xFFFF, Checksums.fold(0xFFFF_FFFF_FFFFL));
        assertEquals(Checksums.fold(0x1_2345_6789L), Checksums.fold(0x1L + 0x2345L + 0x6789L));
    }
}
