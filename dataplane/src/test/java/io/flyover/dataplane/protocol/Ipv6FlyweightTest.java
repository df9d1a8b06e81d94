package io.flyover.dataplane.protocol;

import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.Test;

import static io.flyover.dataplane.protocol.Hex.buffer;
import static io.flyover.dataplane.protocol.Hex.hex;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class Ipv6FlyweightTest
{
    private static final long DOC_PREFIX = 0x2001_0DB8_0000_0000L;

    @Test
    void shouldReadEveryFieldOfGoldenHeader()
    {
        final UnsafeBuffer packet = buffer(GoldenPackets.IPV6_UDP);

        assertEquals(6, Ipv6Flyweight.version(packet, 0));
        assertEquals(0, Ipv6Flyweight.trafficClass(packet, 0));
        assertEquals(0x12345, Ipv6Flyweight.flowLabel(packet, 0));
        assertEquals(16, Ipv6Flyweight.payloadLength(packet, 0));
        assertEquals(IpProtocol.UDP, Ipv6Flyweight.nextHeader(packet, 0));
        assertEquals(64, Ipv6Flyweight.hopLimit(packet, 0));
        assertEquals(DOC_PREFIX, Ipv6Flyweight.srcAddressHigh(packet, 0));
        assertEquals(1, Ipv6Flyweight.srcAddressLow(packet, 0));
        assertEquals(DOC_PREFIX, Ipv6Flyweight.dstAddressHigh(packet, 0));
        assertEquals(2, Ipv6Flyweight.dstAddressLow(packet, 0));
    }

    @Test
    void shouldWriteGoldenHeader()
    {
        final UnsafeBuffer out = new UnsafeBuffer(new byte[40]);

        assertEquals(40, Ipv6Flyweight.writeHeader(out, 0, 0, 0x12345, 16, IpProtocol.UDP, 64, DOC_PREFIX, 1,
            DOC_PREFIX, 2));
        assertEquals(GoldenPackets.IPV6_UDP.substring(0, 80), hex(out.byteArray(), 0, 40));
    }

    @Test
    void shouldPackTrafficClassAndFlowLabel()
    {
        final UnsafeBuffer out = new UnsafeBuffer(new byte[40]);
        Ipv6Flyweight.writeHeader(out, 0, 0xB8, 0xFFFFF, 0, IpProtocol.IPV6_NO_NEXT_HEADER, 1, 0, 0, 0, 0);

        assertEquals("6b8fffff", hex(out.byteArray(), 0, 4));
        assertEquals(0xB8, Ipv6Flyweight.trafficClass(out, 0));
        assertEquals(0xFFFFF, Ipv6Flyweight.flowLabel(out, 0));
    }

    @Test
    void shouldReadGoldenExtensionHeaderChain()
    {
        final UnsafeBuffer packet = buffer(GoldenPackets.IPV6_EXT_TCP);
        assertEquals(IpProtocol.HOP_BY_HOP, Ipv6Flyweight.nextHeader(packet, 0));

        assertEquals(IpProtocol.IPV6_DESTINATION_OPTIONS, Ipv6ExtensionHeaderFlyweight.nextHeader(packet, 40));
        assertEquals(8, Ipv6ExtensionHeaderFlyweight.headerLength(packet, 40, IpProtocol.HOP_BY_HOP));
        assertEquals(IpProtocol.IPV6_ROUTING, Ipv6ExtensionHeaderFlyweight.nextHeader(packet, 48));
        assertEquals(8, Ipv6ExtensionHeaderFlyweight.headerLength(packet, 48, IpProtocol.IPV6_DESTINATION_OPTIONS));

        assertEquals(IpProtocol.IPV6_FRAGMENT, Ipv6ExtensionHeaderFlyweight.nextHeader(packet, 56));
        assertEquals(253, Ipv6ExtensionHeaderFlyweight.routingType(packet, 56));
        assertEquals(0, Ipv6ExtensionHeaderFlyweight.segmentsLeft(packet, 56));

        assertEquals(IpProtocol.TCP, Ipv6FragmentHeaderFlyweight.nextHeader(packet, 64));
        assertEquals(0, Ipv6FragmentHeaderFlyweight.fragmentOffsetBytes(packet, 64));
        assertFalse(Ipv6FragmentHeaderFlyweight.moreFragments(packet, 64));
        assertTrue(Ipv6FragmentHeaderFlyweight.isAtomic(packet, 64));
        assertEquals(0xCAFEBABE, Ipv6FragmentHeaderFlyweight.identification(packet, 64));
        assertEquals(8, Ipv6ExtensionHeaderFlyweight.headerLength(packet, 64, IpProtocol.IPV6_FRAGMENT));
    }

    @Test
    void shouldWriteGoldenExtensionHeaders()
    {
        final UnsafeBuffer out = new UnsafeBuffer(new byte[32]);

        assertEquals(8, Ipv6ExtensionHeaderFlyweight.writeOptionsHeader(out, 0, IpProtocol.IPV6_DESTINATION_OPTIONS, 8));
        assertEquals(8, Ipv6ExtensionHeaderFlyweight.writeOptionsHeader(out, 8, IpProtocol.IPV6_ROUTING, 8));
        assertEquals(8, Ipv6ExtensionHeaderFlyweight.writeRoutingHeader(out, 16, IpProtocol.IPV6_FRAGMENT, 253, 0, 8));
        assertEquals(8, Ipv6FragmentHeaderFlyweight.writeHeader(out, 24, IpProtocol.TCP, 0, false, 0xCAFEBABE));

        assertEquals(GoldenPackets.IPV6_EXT_TCP.substring(80, 144), hex(out.byteArray(), 0, 32));
    }

    @Test
    void shouldPadLongOptionsHeaderWithValidPadding()
    {
        final UnsafeBuffer out = new UnsafeBuffer(new byte[2048]);
        Ipv6ExtensionHeaderFlyweight.writeOptionsHeader(out, 0, IpProtocol.UDP, 2048);

        assertEquals(255, Ipv6ExtensionHeaderFlyweight.lengthField(out, 0));
        assertEquals(2048, Ipv6ExtensionHeaderFlyweight.headerLength(out, 0, IpProtocol.HOP_BY_HOP));
        // Walk the TLVs: they must exactly fill the header.
        int index = Ipv6ExtensionHeaderFlyweight.OPTIONS_OFFSET;
        while (index < 2048)
        {
            final int type = out.getByte(index) & 0xFF;
            index += Ipv6ExtensionHeaderFlyweight.OPTION_PAD1 == type ? 1 : (out.getByte(index + 1) & 0xFF) + 2;
        }
        assertEquals(2048, index);
    }

    @Test
    void shouldRejectExtensionHeaderLengthNotMultipleOfEight()
    {
        final UnsafeBuffer out = new UnsafeBuffer(new byte[64]);

        assertThrows(IllegalArgumentException.class, () -> Ipv6ExtensionHeaderFlyweight.writeOptionsHeader(out, 0, 6, 12));
        assertThrows(IllegalArgumentException.class, () -> Ipv6ExtensionHeaderFlyweight.writeRoutingHeader(out, 0, 6, 0, 0, 0));
    }

    @Test
    void shouldReadAndWriteGoldenFragmentHeaderWithOffset()
    {
        final UnsafeBuffer out = new UnsafeBuffer(new byte[8]);
        Ipv6FragmentHeaderFlyweight.writeHeader(out, 0, IpProtocol.UDP, 1448, true, 0x0102_0304);

        assertEquals("110005a901020304", hex(out.byteArray(), 0, 8));
        assertEquals(1448, Ipv6FragmentHeaderFlyweight.fragmentOffsetBytes(out, 0));
        assertTrue(Ipv6FragmentHeaderFlyweight.moreFragments(out, 0));
        assertFalse(Ipv6FragmentHeaderFlyweight.isAtomic(out, 0));
    }

    @Test
    void shouldReadAndWriteGoldenAuthenticationHeader()
    {
        final UnsafeBuffer packet = buffer(GoldenPackets.IPV6_AH_UDP);
        assertEquals(IpProtocol.AH, Ipv6Flyweight.nextHeader(packet, 0));
        assertEquals(IpProtocol.UDP, AuthenticationHeaderFlyweight.nextHeader(packet, 40));
        assertEquals(24, AuthenticationHeaderFlyweight.headerLength(packet, 40));
        assertEquals(24, Ipv6ExtensionHeaderFlyweight.headerLength(packet, 40, IpProtocol.AH));
        assertEquals(0x100, AuthenticationHeaderFlyweight.spi(packet, 40));
        assertEquals(7, AuthenticationHeaderFlyweight.sequence(packet, 40));

        final UnsafeBuffer out = new UnsafeBuffer(new byte[24]);
        assertEquals(24, AuthenticationHeaderFlyweight.writeHeader(out, 0, IpProtocol.UDP, 12, 0x100, 7));
        assertEquals(GoldenPackets.IPV6_AH_UDP.substring(80, 128), hex(out.byteArray(), 0, 24));
    }

    @Test
    void shouldKnowWhichProtocolsAreExtensionHeaders()
    {
        assertTrue(Ipv6ExtensionHeaderFlyweight.isExtensionHeader(IpProtocol.HOP_BY_HOP));
        assertTrue(Ipv6ExtensionHeaderFlyweight.isExtensionHeader(IpProtocol.IPV6_ROUTING));
        assertTrue(Ipv6ExtensionHeaderFlyweight.isExtensionHeader(IpProtocol.IPV6_FRAGMENT));
        assertTrue(Ipv6ExtensionHeaderFlyweight.isExtensionHeader(IpProtocol.IPV6_DESTINATION_OPTIONS));
        assertTrue(Ipv6ExtensionHeaderFlyweight.isExtensionHeader(IpProtocol.AH));
        assertFalse(Ipv6ExtensionHeaderFlyweight.isExtensionHeader(IpProtocol.ESP));
        assertFalse(Ipv6ExtensionHeaderFlyweight.isExtensionHeader(IpProtocol.TCP));
        assertFalse(Ipv6ExtensionHeaderFlyweight.isExtensionHeader(IpProtocol.IPV6_NO_NEXT_HEADER));
    }
}
