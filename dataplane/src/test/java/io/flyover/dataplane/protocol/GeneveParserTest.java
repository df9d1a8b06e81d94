package io.flyover.dataplane.protocol;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.stream.Stream;

import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.Size;

/**
 * Golden verdict table for the Geneve tunnel parser, truncation at every byte, and robustness
 * against arbitrary bytes. Every parse runs over an exact-size buffer, so a read past the captured
 * length would throw and fail the test.
 */
class GeneveParserTest
{
    /** Flyover option: route 0x0102 -> 0x0304, forward, hop index 1, hop limit 8, key id 0x2a. */
    private static final String FLY =
        "fff08107 1001082a 01020304 00000000 0000000000000000 0000000000000000";
    private static final String INNER = "45000014";
    private static final String INNER6 = "60000000";

    private static Stream<Arguments> goldenTable()
    {
        return Stream.of(
            row("only the Flyover option", "08400800 00000100" + FLY + INNER, ParseVerdict.OK),
            row("Flyover option and no inner bytes", "08400800 00000100" + FLY, ParseVerdict.OK),
            row("unknown non-critical option before", "0a400800 00000100 01020301 deadbeef" + FLY + INNER, ParseVerdict.OK),
            row("unknown non-critical option after", "0a400800 00000100" + FLY + "01020301 deadbeef" + INNER, ParseVerdict.OK),
            row("empty non-critical option", "09400800 00000100 01030500" + FLY + INNER, ParseVerdict.OK),
            row("reserved bits set are ignored", "087f86dd 000001ff fff081e7 1701082a 01020304 00000000" +
                "0000000000000000 0000000000000000" + INNER6, ParseVerdict.OK),
            row("return path heading to ingress", "08400800 00000100 fff08107 1800082a 01020304 00000000" +
                "0000000000000000 0000000000000000", ParseVerdict.OK),
            row("probe (O bit)", "08c00800 00000100" + FLY, ParseVerdict.OK),

            row("7 bytes", "08400800 000001", ParseVerdict.GENEVE_TRUNCATED),
            row("empty", "", ParseVerdict.GENEVE_TRUNCATED),
            row("version 1", "48400800 00000100" + FLY, ParseVerdict.GENEVE_BAD_VERSION),
            row("version 3", "c8400800 00000100" + FLY, ParseVerdict.GENEVE_BAD_VERSION),
            row("Opt Len past the packet", "09400800 00000100" + FLY, ParseVerdict.GENEVE_OPTION_OVERRUN),
            row("Opt Len 63 in a short packet", "3f400800 00000100" + FLY, ParseVerdict.GENEVE_OPTION_OVERRUN),
            row("Ethernet payload", "08406558 00000100" + FLY, ParseVerdict.GENEVE_PROTOCOL_UNSUPPORTED),
            row("option data past the option area", "09400800 00000100" + FLY + "01020301" + INNER + "00000000",
                ParseVerdict.GENEVE_OPTION_OVERRUN),
            row("Flyover option cut by Opt Len", "04400800 00000100" + FLY, ParseVerdict.GENEVE_OPTION_OVERRUN),
            row("Flyover option length 6", "07400800 00000100 fff08106 1001082a 01020304 00000000" +
                "0000000000000000 00000000" + INNER, ParseVerdict.FLYOVER_OPTION_BAD_LENGTH),
            row("Flyover option length 8", "09400800 00000100 fff08108 1001082a 01020304 00000000" +
                "0000000000000000 0000000000000000 00000000", ParseVerdict.FLYOVER_OPTION_BAD_LENGTH),
            row("Flyover option length 31", "08400800 00000100 fff0811f 1001082a 01020304 00000000" +
                "0000000000000000 0000000000000000", ParseVerdict.FLYOVER_OPTION_BAD_LENGTH),
            row("unknown critical option before", "0a400800 00000100 01028001 00000000" + FLY + INNER,
                ParseVerdict.GENEVE_UNKNOWN_CRITICAL_OPTION),
            row("unknown critical option after", "09400800 00000100" + FLY + "0102ff00" + INNER,
                ParseVerdict.GENEVE_UNKNOWN_CRITICAL_OPTION),
            row("Flyover class, other critical type", "0a400800 00000100 fff08201 00000000" + FLY,
                ParseVerdict.GENEVE_UNKNOWN_CRITICAL_OPTION),
            row("no options", "00400800 00000100" + INNER, ParseVerdict.FLYOVER_OPTION_MISSING),
            row("only a non-critical option", "01000800 00000100 01020300" + INNER, ParseVerdict.FLYOVER_OPTION_MISSING),
            row("Flyover class, non-critical type 1", "08400800 00000100 fff00107 1001082a 01020304 00000000" +
                "0000000000000000 0000000000000000", ParseVerdict.FLYOVER_OPTION_MISSING),
            row("two Flyover options", "10400800 00000100" + FLY + FLY + INNER, ParseVerdict.FLYOVER_OPTION_DUPLICATE),
            row("C bit clear", "08000800 00000100" + FLY + INNER, ParseVerdict.GENEVE_CRITICAL_FLAG_MISSING),
            row("Flyover version 0", "08400800 00000100 fff08107 0001082a 01020304 00000000" +
                "0000000000000000 0000000000000000", ParseVerdict.FLYOVER_OPTION_BAD_VERSION),
            row("Flyover version 2", "08400800 00000100 fff08107 2001082a 01020304 00000000" +
                "0000000000000000 0000000000000000", ParseVerdict.FLYOVER_OPTION_BAD_VERSION),
            row("ingress POP unused", "08400800 00000100 fff08107 1001082a 00000304 00000000" +
                "0000000000000000 0000000000000000", ParseVerdict.FLYOVER_OPTION_BAD_ROUTE),
            row("hop 1 unused", "08400800 00000100 fff08107 1001082a 01020000 03040000" +
                "0000000000000000 0000000000000000", ParseVerdict.FLYOVER_OPTION_BAD_ROUTE),
            row("gap before hop 3", "08400800 00000100 fff08107 1001082a 01020304 00000506" +
                "0000000000000000 0000000000000000", ParseVerdict.FLYOVER_OPTION_BAD_ROUTE),
            row("forward heading to ingress", "08400800 00000100 fff08107 1000082a 01020304 00000000" +
                "0000000000000000 0000000000000000", ParseVerdict.FLYOVER_OPTION_BAD_HOP_INDEX),
            row("forward past the egress", "08400800 00000100 fff08107 1002082a 01020304 00000000" +
                "0000000000000000 0000000000000000", ParseVerdict.FLYOVER_OPTION_BAD_HOP_INDEX),
            row("return heading to the egress", "08400800 00000100 fff08107 1801082a 01020304 00000000" +
                "0000000000000000 0000000000000000", ParseVerdict.FLYOVER_OPTION_BAD_HOP_INDEX),
            row("hop index 255", "08400800 00000100 fff08107 10ff082a 01020304 05060708" +
                "0000000000000000 0000000000000000", ParseVerdict.FLYOVER_OPTION_BAD_HOP_INDEX),
            row("IPv6 protocol type, IPv4 inner packet", "084086dd 00000100" + FLY + INNER,
                ParseVerdict.GENEVE_INNER_VERSION_MISMATCH),
            row("IPv4 protocol type, IPv6 inner packet", "08400800 00000100" + FLY + INNER6,
                ParseVerdict.GENEVE_INNER_VERSION_MISMATCH),
            row("IPv6 protocol type, IPv6 inner packet", "084086dd 00000100" + FLY + INNER6, ParseVerdict.OK));
    }

    private static Arguments row(final String description, final String hex, final ParseVerdict expected)
    {
        return Arguments.of(description, hex, expected);
    }

    @ParameterizedTest(name = "{0} -> {2}")
    @MethodSource("goldenTable")
    void shouldGiveTheExpectedVerdict(final String description, final String hex, final ParseVerdict expected)
    {
        final byte[] bytes = TestPackets.hex(hex);
        assertEquals(expected, parseExact(bytes, 0, bytes.length, 5, new ParsedTunnel()), description);
    }

    @Test
    void shouldReportOffsetsWithOptionsAroundTheFlyoverOption()
    {
        final byte[] bytes = TestPackets.hex("0b400800 00000100 01020301 deadbeef" + FLY + "01030500" + INNER);
        final ParsedTunnel tunnel = new ParsedTunnel();
        final UnsafeBuffer buffer = new UnsafeBuffer(new byte[7 + bytes.length]);
        buffer.putBytes(7, bytes);
        assertEquals(ParseVerdict.OK, GeneveParser.parse(buffer, 7, bytes.length, tunnel));
        assertEquals(7, tunnel.geneveOffset());
        assertEquals(7 + 16, tunnel.flyoverOptionOffset());
        assertEquals(7 + 8 + 44, tunnel.innerOffset());
        assertEquals(4, tunnel.innerLength());
        assertEquals(1, tunnel.vni());
    }

    @Test
    void shouldGiveTheRightVerdictForTruncationAtEveryByte()
    {
        final byte[] inner = TestPackets.ipv4(TestPackets.UDP, 0xCB007105, 0xC000020A, 1234, 80, new byte[16], false);
        final byte[] packet = new byte[GeneveEncapsulator.ENCAP_LENGTH + inner.length];
        final int length = new TunnelPacketBuilder().build(new UnsafeBuffer(packet), 0, new UnsafeBuffer(inner), 0, inner.length);
        final int geneveLength = length - GeneveEncapsulator.GENEVE_OFFSET;
        final ParsedTunnel tunnel = new ParsedTunnel();

        for (int captured = 0; captured <= geneveLength; captured++)
        {
            final ParseVerdict expected = captured < 8 ? ParseVerdict.GENEVE_TRUNCATED :
                captured < 40 ? ParseVerdict.GENEVE_OPTION_OVERRUN : ParseVerdict.OK;
            assertEquals(
                expected,
                parseExact(packet, GeneveEncapsulator.GENEVE_OFFSET, captured, 3, tunnel),
                "captured " + captured);
            if (ParseVerdict.OK == expected)
            {
                assertEquals(captured - 40, tunnel.innerLength());
            }
        }
    }

    @Property(tries = 2000)
    void shouldNeverThrowOnArbitraryBytes(
        @ForAll @Size(max = 120) final byte[] bytes,
        @ForAll @IntRange(max = 16) final int slack)
    {
        parseExact(bytes, 0, bytes.length, slack, new ParsedTunnel());
    }

    @Property(tries = 2000)
    void shouldNeverThrowOnCorruptedTunnelHeaders(
        @ForAll @IntRange(max = 39) final int position1,
        @ForAll final byte value1,
        @ForAll @IntRange(max = 39) final int position2,
        @ForAll final byte value2,
        @ForAll @IntRange(min = 0, max = 44) final int captured)
    {
        final byte[] bytes = TestPackets.hex("08400800 00000100" + FLY + INNER);
        bytes[position1] = value1;
        bytes[position2] = value2;
        parseExact(bytes, 0, Math.min(captured, bytes.length), 0, new ParsedTunnel());
    }

    @Property(tries = 2000)
    void shouldGiveTheSameVerdictOnTheFastPathAndThroughTheOptionWalk(
        @ForAll @IntRange(max = 39) final int position,
        @ForAll final byte value,
        @ForAll @IntRange(min = 1, max = 7) final int reservedBits)
    {
        // Reserved bits in the option header are ignored, but they take the parser off its fast path.
        final byte[] bytes = TestPackets.hex("08400800 00000100" + FLY + INNER);
        bytes[position] = value;
        final ParsedTunnel fast = new ParsedTunnel();
        final ParseVerdict fastVerdict = parseExact(bytes, 0, bytes.length, 0, fast);

        bytes[11] = (byte)(bytes[11] | (reservedBits << 5));
        final ParsedTunnel walked = new ParsedTunnel();
        final ParseVerdict walkedVerdict = parseExact(bytes, 0, bytes.length, 0, walked);
        if (11 != position)
        {
            assertEquals(fastVerdict, walkedVerdict);
            if (ParseVerdict.OK == fastVerdict)
            {
                assertEquals(fast.toString(), walked.toString());
            }
        }
    }

    /**
     * Copies {@code length} bytes to an exact-size buffer at {@code at} and parses there: any read
     * past the captured bytes throws.
     */
    static ParseVerdict parseExact(
        final byte[] source, final int sourceOffset, final int length, final int at, final ParsedTunnel out)
    {
        final byte[] exact = new byte[at + length];
        System.arraycopy(source, sourceOffset, exact, at, length);
        return GeneveParser.parse(new UnsafeBuffer(exact), at, length, out);
    }
}
