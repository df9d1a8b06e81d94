package io.flyover.dataplane.protocol;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.Test;

/**
 * Golden vectors: Geneve base header + Flyover option written by hand in hex from the diagrams,
 * checked against both the writers (byte for byte) and the readers (field by field).
 */
class GeneveHeaderGoldenTest
{
    /**
     * Data packet, forward. Geneve: Ver 0, Opt Len 8 words, O 0, C 1, IPv4, VNI 0x00abcd.
     * Option: class fff0, type 81, len 7; Ver 1, D 0; hop index 1; hop limit 8; key id 0x2a;
     * route 0x0102 -> 0x0304 -> 0x0506 (hop 3 unused); send time 0x0001020304050607 us;
     * tag 0x1122334455667788.
     */
    private static final String FORWARD_DATA =
        "08 40 08 00  00 ab cd 00" +
        "ff f0 81 07  10 01 08 2a  01 02 03 04  05 06 00 00" +
        "00 01 02 03 04 05 06 07  11 22 33 44 55 66 77 88";

    /**
     * Probe, return path. Geneve: O 1, C 1, IPv6, VNI 0xfffffe. Option: Ver 1, D 1; hop index 2;
     * hop limit 0; key id 0xff; route 0xfffe -> 0x0001 -> 0x0002 -> 0xffff; send time all ones;
     * tag 0x8000000000000001.
     */
    private static final String RETURN_PROBE =
        "08 c0 86 dd  ff ff fe 00" +
        "ff f0 81 07  18 02 00 ff  ff fe 00 01  00 02 ff ff" +
        "ff ff ff ff ff ff ff ff  80 00 00 00 00 00 00 01";

    @Test
    void shouldWriteForwardDataHeaderByteForByte()
    {
        final UnsafeBuffer buffer = new UnsafeBuffer(new byte[3 + 40]);
        GeneveFlyweight.write(buffer, 3, FlyoverOptionFlyweight.LENGTH_WORDS_TOTAL, false, 0x0800, 0xabcd);
        FlyoverOptionFlyweight.write(
            buffer, 3 + 8, false, 1, 8, 0x2a, FlyoverRoute.pack(0x0102, 0x0304, 0x0506, 0), 0x0001020304050607L);
        FlyoverOptionFlyweight.tag(buffer, 3 + 8, 0x1122334455667788L);

        final byte[] actual = new byte[40];
        buffer.getBytes(3, actual);
        assertArrayEquals(TestPackets.hex(FORWARD_DATA), actual);
    }

    @Test
    void shouldWriteReturnProbeHeaderByteForByte()
    {
        final UnsafeBuffer buffer = new UnsafeBuffer(new byte[40]);
        GeneveFlyweight.write(buffer, 0, 8, true, 0x86DD, 0xfffffe);
        FlyoverOptionFlyweight.write(
            buffer, 8, true, 2, 0, 0xff, FlyoverRoute.pack(0xfffe, 1, 2, 0xffff), -1L);
        FlyoverOptionFlyweight.tag(buffer, 8, 0x8000000000000001L);

        assertArrayEquals(TestPackets.hex(RETURN_PROBE), buffer.byteArray());
    }

    @Test
    void shouldReadEveryFieldOfForwardDataHeader()
    {
        final UnsafeBuffer buffer = new UnsafeBuffer(TestPackets.hex(FORWARD_DATA));
        assertEquals(0, GeneveFlyweight.version(buffer, 0));
        assertEquals(8, GeneveFlyweight.optLenWords(buffer, 0));
        assertEquals(32, GeneveFlyweight.optionsLength(buffer, 0));
        assertEquals(40, GeneveFlyweight.headerAndOptionsLength(buffer, 0));
        assertFalse(GeneveFlyweight.oam(buffer, 0));
        assertTrue(GeneveFlyweight.critical(buffer, 0));
        assertEquals(0x40, GeneveFlyweight.flags(buffer, 0));
        assertEquals(GeneveFlyweight.PROTOCOL_TYPE_IPV4, GeneveFlyweight.protocolType(buffer, 0));
        assertEquals(0xabcd, GeneveFlyweight.vni(buffer, 0));

        assertEquals(0xfff0, GeneveFlyweight.optionClass(buffer, 8));
        assertEquals(0x81, GeneveFlyweight.optionType(buffer, 8));
        assertEquals(7, GeneveFlyweight.optionLengthWords(buffer, 8));

        assertEquals(1, FlyoverOptionFlyweight.version(buffer, 8));
        assertFalse(FlyoverOptionFlyweight.returnPath(buffer, 8));
        assertEquals(1, FlyoverOptionFlyweight.hopIndex(buffer, 8));
        assertEquals(8, FlyoverOptionFlyweight.hopLimit(buffer, 8));
        assertEquals(0x2a, FlyoverOptionFlyweight.keyId(buffer, 8));
        assertEquals(0x0102_0304_0506_0000L, FlyoverOptionFlyweight.route(buffer, 8));
        assertEquals(0x0102, FlyoverOptionFlyweight.routePop(buffer, 8, 0));
        assertEquals(0x0304, FlyoverOptionFlyweight.routePop(buffer, 8, 1));
        assertEquals(0x0506, FlyoverOptionFlyweight.routePop(buffer, 8, 2));
        assertEquals(0, FlyoverOptionFlyweight.routePop(buffer, 8, 3));
        assertEquals(0x0304, FlyoverOptionFlyweight.nextPop(buffer, 8));
        assertEquals(0x0001020304050607L, FlyoverOptionFlyweight.sendTimeUs(buffer, 8));
        assertEquals(0x1122334455667788L, FlyoverOptionFlyweight.tag(buffer, 8));
    }

    @Test
    void shouldReadEveryFieldOfReturnProbeHeader()
    {
        final UnsafeBuffer buffer = new UnsafeBuffer(TestPackets.hex(RETURN_PROBE));
        assertTrue(GeneveFlyweight.oam(buffer, 0));
        assertTrue(GeneveFlyweight.critical(buffer, 0));
        assertEquals(GeneveFlyweight.PROTOCOL_TYPE_IPV6, GeneveFlyweight.protocolType(buffer, 0));
        assertEquals(0xfffffe, GeneveFlyweight.vni(buffer, 0));

        assertEquals(1, FlyoverOptionFlyweight.version(buffer, 8));
        assertTrue(FlyoverOptionFlyweight.returnPath(buffer, 8));
        assertEquals(2, FlyoverOptionFlyweight.hopIndex(buffer, 8));
        assertEquals(0, FlyoverOptionFlyweight.hopLimit(buffer, 8));
        assertEquals(0xff, FlyoverOptionFlyweight.keyId(buffer, 8));
        assertEquals(0xfffe, FlyoverOptionFlyweight.routePop(buffer, 8, 0));
        assertEquals(0xffff, FlyoverOptionFlyweight.routePop(buffer, 8, 3));
        assertEquals(2, FlyoverOptionFlyweight.nextPop(buffer, 8));
        assertEquals(-1L, FlyoverOptionFlyweight.sendTimeUs(buffer, 8));
        assertEquals(0x8000000000000001L, FlyoverOptionFlyweight.tag(buffer, 8));
    }

    @Test
    void shouldParseBothGoldenHeaders()
    {
        final ParsedTunnel tunnel = new ParsedTunnel();
        final UnsafeBuffer forward = new UnsafeBuffer(TestPackets.hex(FORWARD_DATA));
        assertEquals(ParseVerdict.OK, GeneveParser.parse(forward, 0, 40, tunnel));
        assertEquals(8, tunnel.flyoverOptionOffset());
        assertEquals(40, tunnel.innerOffset());
        assertEquals(0, tunnel.innerLength());
        assertEquals(0xabcd, tunnel.vni());
        assertFalse(tunnel.oam());

        final UnsafeBuffer probe = new UnsafeBuffer(TestPackets.hex(RETURN_PROBE));
        assertEquals(ParseVerdict.OK, GeneveParser.parse(probe, 0, 40, tunnel));
        assertEquals(GeneveFlyweight.PROTOCOL_TYPE_IPV6, tunnel.protocolType());
        assertTrue(tunnel.oam());
    }

    @Test
    void shouldWriteEachFieldWithoutDisturbingItsNeighbours()
    {
        final UnsafeBuffer buffer = new UnsafeBuffer(TestPackets.hex(FORWARD_DATA));
        GeneveFlyweight.versionOptLen(buffer, 0, 0, 9);
        GeneveFlyweight.flags(buffer, 0, GeneveFlyweight.FLAG_OAM | GeneveFlyweight.FLAG_CRITICAL);
        GeneveFlyweight.protocolType(buffer, 0, 0x86DD);
        GeneveFlyweight.vni(buffer, 0, 0x123456);
        FlyoverOptionFlyweight.hopIndex(buffer, 8, 2);
        FlyoverOptionFlyweight.hopLimit(buffer, 8, 7);
        FlyoverOptionFlyweight.keyId(buffer, 8, 3);
        FlyoverOptionFlyweight.sendTimeUs(buffer, 8, 0x0a0b0c0d0e0f1011L);
        assertArrayEquals(
            TestPackets.hex(
                "09 c0 86 dd  12 34 56 00" +
                "ff f0 81 07  10 02 07 03  01 02 03 04  05 06 00 00" +
                "0a 0b 0c 0d 0e 0f 10 11  11 22 33 44 55 66 77 88"),
            buffer.byteArray());
    }
}
