package io.flyover.dataplane.protocol;

import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.Test;

import static io.flyover.dataplane.protocol.Hex.buffer;
import static io.flyover.dataplane.protocol.Hex.hex;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class TcpFlyweightTest
{
    private static final int TCP = 20;

    @Test
    void shouldReadEveryFieldOfGoldenSyn()
    {
        final UnsafeBuffer packet = buffer(GoldenPackets.IPV4_TCP_SYN);

        assertEquals(40000, TcpFlyweight.srcPort(packet, TCP));
        assertEquals(443, TcpFlyweight.dstPort(packet, TCP));
        assertEquals(0x11223344, TcpFlyweight.sequence(packet, TCP));
        assertEquals(0, TcpFlyweight.acknowledgment(packet, TCP));
        assertEquals(10, TcpFlyweight.dataOffset(packet, TCP));
        assertEquals(40, TcpFlyweight.headerLength(packet, TCP));
        assertEquals(TcpFlyweight.FLAG_SYN, TcpFlyweight.flags(packet, TCP));
        assertEquals(64240, TcpFlyweight.window(packet, TCP));
        assertEquals(0x52A5, TcpFlyweight.checksum(packet, TCP));
        assertEquals(0, TcpFlyweight.urgentPointer(packet, TCP));
    }

    @Test
    void shouldFindGoldenOptions()
    {
        final UnsafeBuffer packet = buffer(GoldenPackets.IPV4_TCP_SYN);

        assertTrue(TcpFlyweight.isOptionsValid(packet, TCP, 40));
        assertEquals(TCP + 20, TcpFlyweight.findOption(packet, TCP, 40, TcpFlyweight.OPTION_MSS));
        assertEquals(1460, TcpFlyweight.mss(packet, TCP, 40));
        assertEquals(TCP + 24, TcpFlyweight.findOption(packet, TCP, 40, TcpFlyweight.OPTION_SACK_PERMITTED));
        assertEquals(TCP + 26, TcpFlyweight.findOption(packet, TCP, 40, TcpFlyweight.OPTION_TIMESTAMPS));
        assertEquals(TCP + 37, TcpFlyweight.findOption(packet, TCP, 40, TcpFlyweight.OPTION_WINDOW_SCALE));
        assertEquals(7, packet.getByte(TCP + 39));
        assertEquals(TcpFlyweight.OPTION_NOT_FOUND, TcpFlyweight.findOption(packet, TCP, 40, TcpFlyweight.OPTION_SACK));
    }

    @Test
    void shouldWriteGoldenSyn()
    {
        final UnsafeBuffer packet = buffer(GoldenPackets.IPV4_TCP_SYN);
        packet.setMemory(TCP, 40, (byte)0xEE);

        int option = TCP + TcpFlyweight.MIN_HEADER_LENGTH;
        option += TcpFlyweight.writeMssOption(packet, option, 1460);
        option += TcpFlyweight.writeSackPermittedOption(packet, option);
        option += TcpFlyweight.writeTimestampsOption(packet, option, 0x0102_0304, 0);
        option += TcpFlyweight.writeNopOption(packet, option);
        option += TcpFlyweight.writeWindowScaleOption(packet, option, 7);
        assertEquals(0, TcpFlyweight.writeEndOfOptions(packet, option, TCP + 40));
        assertEquals(20, TcpFlyweight.writeHeader(
            packet, TCP, 40000, 443, 0x11223344, 0, 40, TcpFlyweight.FLAG_SYN, 64240, 0));

        assertEquals(0x52A5, TcpFlyweight.writeChecksumIpv4(packet, 0, TCP, 40));
        assertEquals(GoldenPackets.IPV4_TCP_SYN, hex(packet.byteArray(), 0, 60));
    }

    @Test
    void shouldWriteGoldenSynOverIpv6()
    {
        final UnsafeBuffer packet = buffer(GoldenPackets.IPV6_EXT_TCP);
        final int tcp = 72;
        assertEquals(0x4A6C, TcpFlyweight.checksum(packet, tcp));

        // The pseudo-header is the same with or without the extension headers in between.
        assertEquals(0x4A6C, TcpFlyweight.writeChecksumIpv6(packet, 0, tcp, 28));
        assertEquals(1440, TcpFlyweight.mss(packet, tcp, 28));
    }

    @Test
    void shouldClampMssAndUpdateChecksumIncrementally()
    {
        final UnsafeBuffer packet = buffer(GoldenPackets.IPV4_TCP_SYN);

        assertEquals(1460, TcpFlyweight.clampMss(packet, TCP, 40, 1400));
        assertEquals(1400, TcpFlyweight.mss(packet, TCP, 40));
        assertTrue(Checksums.isValid(packet, TCP, 40, Checksums.ipv4PseudoHeaderSum(packet, 0, IpProtocol.TCP, 40)));
        final int clamped = TcpFlyweight.checksum(packet, TCP);
        assertEquals(clamped, TcpFlyweight.writeChecksumIpv4(packet, 0, TCP, 40));
    }

    @Test
    void shouldLeaveSmallerMssAlone()
    {
        final UnsafeBuffer packet = buffer(GoldenPackets.IPV4_TCP_SYN);

        assertEquals(1460, TcpFlyweight.clampMss(packet, TCP, 40, 1460));
        assertEquals(1460, TcpFlyweight.clampMss(packet, TCP, 40, 9000));
        assertEquals(GoldenPackets.IPV4_TCP_SYN, hex(packet.byteArray(), 0, 60));
    }

    @Test
    void shouldClampMssAtOddOffset()
    {
        final TestPacketBuilder builder = TestPacketBuilder.tcp4();
        builder.ethernet = false;
        builder.tcpLeadingNop = true;
        builder.mss = 8960;
        final UnsafeBuffer packet = new UnsafeBuffer(builder.build());
        final int mssIndex = TcpFlyweight.findOption(packet, TCP, builder.tcpHeaderLength, TcpFlyweight.OPTION_MSS);
        assertEquals(1, (mssIndex + 2 - TCP) & 1, "MSS value must sit at an odd offset for this test");

        assertEquals(8960, TcpFlyweight.clampMssAt(packet, TCP, mssIndex, 1360));

        final int incremental = TcpFlyweight.checksum(packet, TCP);
        assertEquals(incremental, TcpFlyweight.writeChecksumIpv4(packet, 0, TCP, builder.l3End - TCP));
    }

    @Test
    void shouldReportMissingMss()
    {
        final UnsafeBuffer packet = buffer("0000000000000000000000000000000000000000" + "01010402");

        assertEquals(TcpFlyweight.OPTION_NOT_FOUND, TcpFlyweight.mss(packet, 0, 24));
        assertEquals(TcpFlyweight.OPTION_NOT_FOUND, TcpFlyweight.clampMss(packet, 0, 24, 1000));
        assertEquals(TcpFlyweight.OPTION_NOT_FOUND, TcpFlyweight.mss(packet, 0, 20));
    }

    @Test
    void shouldIgnoreMssOptionWithWrongLength()
    {
        final UnsafeBuffer packet = buffer("0000000000000000000000000000000000000000" + "02030500");

        assertEquals(TcpFlyweight.OPTION_NOT_FOUND, TcpFlyweight.mss(packet, 0, 24));
        assertEquals(TcpFlyweight.OPTION_NOT_FOUND, TcpFlyweight.clampMss(packet, 0, 24, 1000));
    }

    @Test
    void shouldReportOptionOverrun()
    {
        assertFalse(options("02000000")); // length 0
        assertFalse(options("02010000")); // length 1
        assertFalse(options("01010108")); // kind in the last byte, no room for its length
        assertFalse(options("080a0000")); // timestamps running past the header
        assertTrue(options("00020000")); // end of list: the rest is padding
        assertTrue(options("020405b4"));
    }

    @Test
    void shouldReportOverrunFromMssLookupEvenAfterMssFound()
    {
        final UnsafeBuffer packet = buffer("0000000000000000000000000000000000000000" + "020405b4080a0000");

        assertEquals(TcpFlyweight.OPTION_OVERRUN, TcpFlyweight.mss(packet, 0, 28));
        assertEquals(TcpFlyweight.OPTION_OVERRUN, TcpFlyweight.clampMss(packet, 0, 28, 1000));
        assertEquals(1460, TcpFlyweight.mss(packet, 0, 24));
    }

    @Test
    void shouldRejectBadHeaderLengthOnWrite()
    {
        final UnsafeBuffer out = new UnsafeBuffer(new byte[64]);

        assertThrows(IllegalArgumentException.class, () -> TcpFlyweight.writeHeader(out, 0, 1, 2, 0, 0, 16, 0, 0, 0));
        assertThrows(IllegalArgumentException.class, () -> TcpFlyweight.writeHeader(out, 0, 1, 2, 0, 0, 22, 0, 0, 0));
        assertThrows(IllegalArgumentException.class, () -> TcpFlyweight.writeHeader(out, 0, 1, 2, 0, 0, 64, 0, 0, 0));
    }

    private static boolean options(final String optionHex)
    {
        final byte[] options = Hex.bytes(optionHex);
        final UnsafeBuffer header = new UnsafeBuffer(new byte[20 + options.length]);
        header.putBytes(20, options);
        return TcpFlyweight.isOptionsValid(header, 0, 20 + options.length);
    }
}
