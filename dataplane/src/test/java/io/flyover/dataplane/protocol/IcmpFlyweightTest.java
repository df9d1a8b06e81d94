package io.flyover.dataplane.protocol;

import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.Test;

import static io.flyover.dataplane.protocol.Hex.buffer;
import static io.flyover.dataplane.protocol.Hex.hex;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class IcmpFlyweightTest
{
    @Test
    void shouldReadGoldenIcmpv4Echo()
    {
        final UnsafeBuffer packet = buffer(GoldenPackets.IPV4_ICMP_ECHO);

        assertEquals(Icmpv4Flyweight.TYPE_ECHO_REQUEST, Icmpv4Flyweight.type(packet, 20));
        assertEquals(0, Icmpv4Flyweight.code(packet, 20));
        assertEquals(0x5435, Icmpv4Flyweight.checksum(packet, 20));
        assertEquals(0x1234, Icmpv4Flyweight.identifier(packet, 20));
        assertEquals(1, Icmpv4Flyweight.sequence(packet, 20));
        assertTrue(Checksums.isValid(packet, 20, 16, 0));
    }

    @Test
    void shouldWriteGoldenIcmpv4Echo()
    {
        final UnsafeBuffer packet = buffer(GoldenPackets.IPV4_ICMP_ECHO);
        packet.setMemory(20, 8, (byte)0xEE);

        assertEquals(8, Icmpv4Flyweight.writeEchoHeader(packet, 20, Icmpv4Flyweight.TYPE_ECHO_REQUEST, 0x1234, 1));
        assertEquals(0x5435, Icmpv4Flyweight.writeChecksum(packet, 20, 16));
        assertEquals(GoldenPackets.IPV4_ICMP_ECHO, hex(packet.byteArray(), 0, 36));
    }

    @Test
    void shouldReadGoldenFragmentationNeededAndItsQuote()
    {
        final UnsafeBuffer packet = buffer(GoldenPackets.IPV4_ICMP_FRAG_NEEDED);

        assertEquals(Icmpv4Flyweight.TYPE_DESTINATION_UNREACHABLE, Icmpv4Flyweight.type(packet, 20));
        assertEquals(Icmpv4Flyweight.CODE_FRAGMENTATION_NEEDED, Icmpv4Flyweight.code(packet, 20));
        assertEquals(0x4221, Icmpv4Flyweight.checksum(packet, 20));
        assertEquals(1400, Icmpv4Flyweight.nextHopMtu(packet, 20));
        final int quote = Icmpv4Flyweight.quotedIpOffset(20);
        assertEquals(28, quote);
        assertEquals(0xC0A8_0001, Ipv4Flyweight.srcAddress(packet, quote));
        assertEquals(IpProtocol.UDP, Ipv4Flyweight.protocol(packet, quote));
        assertEquals(12345, UdpFlyweight.srcPort(packet, quote + 20));
        assertEquals(53, UdpFlyweight.dstPort(packet, quote + 20));
    }

    @Test
    void shouldWriteGoldenFragmentationNeeded()
    {
        final UnsafeBuffer packet = buffer(GoldenPackets.IPV4_ICMP_FRAG_NEEDED);
        packet.setMemory(20, 8, (byte)0xEE);

        Icmpv4Flyweight.writeFragmentationNeededHeader(packet, 20, 1400);
        assertEquals(0x4221, Icmpv4Flyweight.writeChecksum(packet, 20, 36));
        assertEquals(GoldenPackets.IPV4_ICMP_FRAG_NEEDED, hex(packet.byteArray(), 0, 56));
    }

    @Test
    void shouldReadAndWriteGoldenIcmpv6Echo()
    {
        final UnsafeBuffer packet = buffer(GoldenPackets.IPV6_ICMPV6_ECHO);
        assertEquals(Icmpv6Flyweight.TYPE_ECHO_REQUEST, Icmpv6Flyweight.type(packet, 40));
        assertEquals(0, Icmpv6Flyweight.code(packet, 40));
        assertEquals(0x8075, Icmpv6Flyweight.checksum(packet, 40));
        assertEquals(0x1234, Icmpv6Flyweight.identifier(packet, 40));
        assertEquals(1, Icmpv6Flyweight.sequence(packet, 40));

        packet.setMemory(40, 8, (byte)0xEE);
        Icmpv6Flyweight.writeEchoHeader(packet, 40, Icmpv6Flyweight.TYPE_ECHO_REQUEST, 0x1234, 1);
        assertEquals(0x8075, Icmpv6Flyweight.writeChecksum(packet, 0, 40, 16));
        assertEquals(GoldenPackets.IPV6_ICMPV6_ECHO, hex(packet.byteArray(), 0, 56));
    }

    @Test
    void shouldReadAndWriteGoldenPacketTooBig()
    {
        final UnsafeBuffer packet = buffer(GoldenPackets.IPV6_ICMPV6_PTB);
        assertEquals(Icmpv6Flyweight.TYPE_PACKET_TOO_BIG, Icmpv6Flyweight.type(packet, 40));
        assertEquals(0x1F36, Icmpv6Flyweight.checksum(packet, 40));
        assertEquals(1280, Icmpv6Flyweight.mtu(packet, 40));
        final int quote = Icmpv6Flyweight.quotedIpOffset(40);
        assertEquals(6, Ipv6Flyweight.version(packet, quote));
        assertEquals(IpProtocol.TCP, Ipv6Flyweight.nextHeader(packet, quote));
        assertEquals(40000, TcpFlyweight.srcPort(packet, quote + 40));
        assertEquals(443, TcpFlyweight.dstPort(packet, quote + 40));

        packet.setMemory(40, 8, (byte)0xEE);
        Icmpv6Flyweight.writePacketTooBigHeader(packet, 40, 1280);
        assertEquals(0x1F36, Icmpv6Flyweight.writeChecksum(packet, 0, 40, 68));
        assertEquals(GoldenPackets.IPV6_ICMPV6_PTB, hex(packet.byteArray(), 0, 108));
    }

    @Test
    void shouldClassifyErrorAndEchoTypes()
    {
        assertTrue(Icmpv4Flyweight.isError(Icmpv4Flyweight.TYPE_DESTINATION_UNREACHABLE));
        assertTrue(Icmpv4Flyweight.isError(Icmpv4Flyweight.TYPE_TIME_EXCEEDED));
        assertTrue(Icmpv4Flyweight.isError(Icmpv4Flyweight.TYPE_PARAMETER_PROBLEM));
        assertFalse(Icmpv4Flyweight.isError(Icmpv4Flyweight.TYPE_ECHO_REQUEST));
        assertTrue(Icmpv4Flyweight.isEcho(Icmpv4Flyweight.TYPE_ECHO_REPLY));
        assertTrue(Icmpv6Flyweight.isError(Icmpv6Flyweight.TYPE_PACKET_TOO_BIG));
        assertFalse(Icmpv6Flyweight.isError(Icmpv6Flyweight.TYPE_ECHO_REPLY));
        assertFalse(Icmpv6Flyweight.isError(135)); // neighbour solicitation
        assertTrue(Icmpv6Flyweight.isEcho(Icmpv6Flyweight.TYPE_ECHO_REPLY));
    }
}
