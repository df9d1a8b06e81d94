package io.flyover.dataplane.protocol;

import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.Test;

import static io.flyover.dataplane.protocol.Hex.buffer;
import static io.flyover.dataplane.protocol.Hex.hex;
import static org.junit.jupiter.api.Assertions.assertEquals;

class UdpFlyweightTest
{
    @Test
    void shouldReadEveryFieldOfGoldenHeader()
    {
        final UnsafeBuffer packet = buffer(GoldenPackets.IPV4_UDP);

        assertEquals(12345, UdpFlyweight.srcPort(packet, 20));
        assertEquals(53, UdpFlyweight.dstPort(packet, 20));
        assertEquals(16, UdpFlyweight.length(packet, 20));
        assertEquals(0x84E4, UdpFlyweight.checksum(packet, 20));
    }

    @Test
    void shouldWriteGoldenDatagramOverIpv4()
    {
        final UnsafeBuffer packet = buffer(GoldenPackets.IPV4_UDP);
        packet.setMemory(20, 8, (byte)0);

        assertEquals(8, UdpFlyweight.writeHeader(packet, 20, 12345, 53, 16));
        assertEquals(0x84E4, UdpFlyweight.writeChecksumIpv4(packet, 0, 20));
        assertEquals(GoldenPackets.IPV4_UDP, hex(packet.byteArray(), 0, 36));
    }

    @Test
    void shouldWriteGoldenDatagramOverIpv6()
    {
        final UnsafeBuffer packet = buffer(GoldenPackets.IPV6_UDP);
        packet.setMemory(40, 8, (byte)0);

        UdpFlyweight.writeHeader(packet, 40, 12345, 53, 16);
        assertEquals(0xAB88, UdpFlyweight.writeChecksumIpv6(packet, 0, 40));
        assertEquals(GoldenPackets.IPV6_UDP, hex(packet.byteArray(), 0, 56));
    }

    @Test
    void shouldWritePortsAndLength()
    {
        final UnsafeBuffer out = new UnsafeBuffer(new byte[8]);
        UdpFlyweight.writeHeader(out, 0, 1, 2, 3);
        UdpFlyweight.srcPort(out, 0, 0xFFFF);
        UdpFlyweight.dstPort(out, 0, 6081);
        UdpFlyweight.length(out, 0, 1500);
        UdpFlyweight.checksum(out, 0, 0xABCD);

        assertEquals("ffff17c105dcabcd", hex(out.byteArray(), 0, 8));
    }
}
