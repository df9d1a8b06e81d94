package io.flyover.dataplane.protocol;

import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.Test;

import static io.flyover.dataplane.protocol.Hex.buffer;
import static io.flyover.dataplane.protocol.Hex.hex;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class Ipv4FlyweightTest
{
    @Test
    void shouldReadEveryFieldOfGoldenHeader()
    {
        final UnsafeBuffer packet = buffer(GoldenPackets.IPV4_UDP);

        assertEquals(4, Ipv4Flyweight.version(packet, 0));
        assertEquals(5, Ipv4Flyweight.ihl(packet, 0));
        assertEquals(20, Ipv4Flyweight.headerLength(packet, 0));
        assertEquals(0, Ipv4Flyweight.tos(packet, 0));
        assertEquals(36, Ipv4Flyweight.totalLength(packet, 0));
        assertEquals(0x1C46, Ipv4Flyweight.identification(packet, 0));
        assertEquals(0x4000, Ipv4Flyweight.flagsAndFragmentOffset(packet, 0));
        assertTrue(Ipv4Flyweight.dontFragment(packet, 0));
        assertFalse(Ipv4Flyweight.moreFragments(packet, 0));
        assertEquals(0, Ipv4Flyweight.fragmentOffsetBytes(packet, 0));
        assertFalse(Ipv4Flyweight.isFragment(packet, 0));
        assertEquals(64, Ipv4Flyweight.ttl(packet, 0));
        assertEquals(IpProtocol.UDP, Ipv4Flyweight.protocol(packet, 0));
        assertEquals(0x9C6A, Ipv4Flyweight.headerChecksum(packet, 0));
        assertEquals(0xC0A8_0001, Ipv4Flyweight.srcAddress(packet, 0));
        assertEquals(0xC0A8_00C7, Ipv4Flyweight.dstAddress(packet, 0));
        assertTrue(Ipv4Flyweight.isHeaderChecksumValid(packet, 0, 20));
        assertEquals(0x9C6A, Ipv4Flyweight.computeHeaderChecksum(packet, 0, 20));
    }

    @Test
    void shouldWriteGoldenHeader()
    {
        final UnsafeBuffer out = new UnsafeBuffer(new byte[20]);

        final int length = Ipv4Flyweight.writeHeader(
            out, 0, 0, 36, 0x1C46, Ipv4Flyweight.FLAG_DONT_FRAGMENT, 64, IpProtocol.UDP, 0xC0A8_0001, 0xC0A8_00C7);

        assertEquals(20, length);
        assertEquals(GoldenPackets.IPV4_UDP.substring(0, 40), hex(out.byteArray(), 0, 20));
    }

    @Test
    void shouldReadAndWriteGoldenHeaderWithOptions()
    {
        final UnsafeBuffer packet = buffer(GoldenPackets.IPV4_OPTIONS_UDP);
        assertEquals(8, Ipv4Flyweight.ihl(packet, 0));
        assertEquals(48, Ipv4Flyweight.totalLength(packet, 0));
        assertEquals(0x196C, Ipv4Flyweight.headerChecksum(packet, 0));
        assertTrue(Ipv4Flyweight.isOptionsValid(packet, 0, 32));
        assertTrue(Ipv4Flyweight.isHeaderChecksumValid(packet, 0, 32));

        // NOP, record route with one slot, end of list; the writer pads with end-of-list to 12 bytes.
        final UnsafeBuffer options = buffer("010707040000000000");
        final UnsafeBuffer out = new UnsafeBuffer(new byte[32]);
        final int length = Ipv4Flyweight.writeHeader(
            out, 0, 0, 48, 0x4242, 0, 64, IpProtocol.UDP, 0x0A01_0001, 0x0A02_0001, options, 0, 9);

        assertEquals(32, length);
        assertEquals(GoldenPackets.IPV4_OPTIONS_UDP.substring(0, 64), hex(out.byteArray(), 0, 32));
    }

    @Test
    void shouldRejectMoreThanFortyOptionBytes()
    {
        final UnsafeBuffer out = new UnsafeBuffer(new byte[80]);

        assertThrows(IllegalArgumentException.class, () -> Ipv4Flyweight.writeHeader(
            out, 0, 0, 80, 0, 0, 64, IpProtocol.UDP, 1, 2, new UnsafeBuffer(new byte[41]), 0, 41));
    }

    @Test
    void shouldReadFragmentFields()
    {
        final UnsafeBuffer out = new UnsafeBuffer(new byte[20]);
        Ipv4Flyweight.writeHeader(out, 0, 0, 1500, 0x7777, Ipv4Flyweight.FLAG_MORE_FRAGMENTS | 185, 64,
            IpProtocol.UDP, 1, 2);

        assertTrue(Ipv4Flyweight.isFragment(out, 0));
        assertTrue(Ipv4Flyweight.moreFragments(out, 0));
        assertFalse(Ipv4Flyweight.dontFragment(out, 0));
        assertEquals(1480, Ipv4Flyweight.fragmentOffsetBytes(out, 0));
    }

    @Test
    void shouldDecrementTtlAndKeepChecksumValid()
    {
        final UnsafeBuffer packet = buffer(GoldenPackets.IPV4_UDP);

        assertEquals(63, Ipv4Flyweight.decrementTtl(packet, 0));
        assertEquals(63, Ipv4Flyweight.ttl(packet, 0));
        assertEquals(IpProtocol.UDP, Ipv4Flyweight.protocol(packet, 0));
        assertEquals(Ipv4Flyweight.computeHeaderChecksum(packet, 0, 20), Ipv4Flyweight.headerChecksum(packet, 0));
        assertEquals(0x9D6A, Ipv4Flyweight.headerChecksum(packet, 0));
    }

    @Test
    void shouldAcceptWellFormedOptions()
    {
        assertTrue(options("01010101")); // NOPs
        assertTrue(options("00ffffff")); // end of list, then anything
        assertTrue(options("01070704000000000000000000000000")); // NOP + record route, end-of-list padded
        assertTrue(options("8204000000000000")); // type 0x82, length 4, then end of list
    }

    @Test
    void shouldRejectOptionLengthBelowTwo()
    {
        assertFalse(options("07000000"));
        assertFalse(options("07010000"));
    }

    @Test
    void shouldRejectOptionRunningPastHeader()
    {
        assertFalse(options("07050000"));
        assertFalse(options("01010107")); // type byte in the last position, no room for its length
        assertFalse(options("0182040000830900"));
    }

    private static boolean options(final String optionHex)
    {
        final int optionsLength = optionHex.length() / 2;
        final UnsafeBuffer header = new UnsafeBuffer(new byte[20 + optionsLength]);
        header.putBytes(20, Hex.bytes(optionHex));
        return Ipv4Flyweight.isOptionsValid(header, 0, 20 + optionsLength);
    }
}
