package io.flyover.optimizer.probe;

import io.flyover.optimizer.path.Route;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.Size;
import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;

class ProbeMessageTest
{
    private static final long ROUTE = Route.of(3, 9, 12);

    private static int encode(final UnsafeBuffer buffer, final int offset, final int entries)
    {
        ProbeMessage.putHeader(buffer, offset, ProbeMessage.TYPE_REPLY, 12, ROUTE, 77, 123_456_789_012L,
            5_000_000_000L, 42L, 4_242L, entries);
        for (int i = 0; i < entries; i++)
        {
            ProbeMessage.putEntry(buffer, offset, i, 12, 100 + i, 1_000 * i, 10 * i);
        }
        return ProbeMessage.length(entries);
    }

    @Test
    void shouldRoundTripHeaderAndEntries()
    {
        final UnsafeBuffer buffer = new UnsafeBuffer(new byte[ProbeMessage.MAX_LENGTH + 16]);
        final int length = encode(buffer, 16, 3);

        assertEquals(ProbeVerdict.OK, ProbeMessage.validate(buffer, 16, length));
        assertEquals(ProbeMessage.TYPE_REPLY, ProbeMessage.type(buffer, 16));
        assertEquals(12, ProbeMessage.senderPop(buffer, 16));
        assertEquals(ROUTE, ProbeMessage.route(buffer, 16));
        assertEquals(77, ProbeMessage.pathId(buffer, 16));
        assertEquals(123_456_789_012L, ProbeMessage.sequence(buffer, 16));
        assertEquals(5_000_000_000L, ProbeMessage.sendNs(buffer, 16));
        assertEquals(42L, ProbeMessage.echoReceiveNs(buffer, 16));
        assertEquals(4_242L, ProbeMessage.echoTransmitNs(buffer, 16));
        final List<String> entries = new ArrayList<>();
        ProbeMessage.forEachEntry(buffer, 16, (from, to, rttUs, lossPpm, nowNs) ->
            entries.add(from + ">" + to + ":" + rttUs + "/" + lossPpm), 0);
        assertEquals(List.of("12>100:0/0", "12>101:1000/10", "12>102:2000/20"), entries);
    }

    @Test
    void shouldWriteFieldsBigEndianAtTheDocumentedOffsets()
    {
        final UnsafeBuffer buffer = new UnsafeBuffer(new byte[ProbeMessage.MAX_LENGTH]);
        encode(buffer, 0, 1);
        assertEquals((byte)0xF1, buffer.getByte(0));
        assertEquals((byte)0x0B, buffer.getByte(1));
        assertEquals(1, buffer.getByte(2));
        assertEquals(0, buffer.getByte(8));
        assertEquals(3, buffer.getByte(9));
        assertEquals(9, buffer.getByte(11));
        assertEquals(12, buffer.getByte(13));
        assertEquals(0, buffer.getByte(15));
        assertEquals(100, buffer.getByte(59));
    }

    @Test
    void shouldGiveAVerdictForEveryTruncation()
    {
        final UnsafeBuffer buffer = new UnsafeBuffer(new byte[ProbeMessage.MAX_LENGTH]);
        final int length = encode(buffer, 0, 5);
        for (int cut = 0; cut < length; cut++)
        {
            final ProbeVerdict verdict = ProbeMessage.validate(buffer, 0, cut);
            assertEquals(cut < ProbeMessage.HEADER_LENGTH ? ProbeVerdict.TRUNCATED : ProbeVerdict.ENTRIES_TRUNCATED,
                verdict, "cut at " + cut);
            // The same cut with the buffer itself ending there: no read past capacity.
            final UnsafeBuffer exact = new UnsafeBuffer(buffer, 0, cut);
            assertNotEquals(ProbeVerdict.OK, ProbeMessage.validate(exact, 0, cut));
        }
        assertEquals(ProbeVerdict.OK, ProbeMessage.validate(buffer, 0, length));
    }

    @Test
    void shouldRejectLengthsBeyondTheBufferAndNegativeOffsets()
    {
        final UnsafeBuffer buffer = new UnsafeBuffer(new byte[ProbeMessage.HEADER_LENGTH]);
        encode(buffer, 0, 0);
        assertEquals(ProbeVerdict.OK, ProbeMessage.validate(buffer, 0, ProbeMessage.HEADER_LENGTH));
        assertEquals(ProbeVerdict.TRUNCATED, ProbeMessage.validate(buffer, 0, ProbeMessage.HEADER_LENGTH + 1));
        assertEquals(ProbeVerdict.TRUNCATED, ProbeMessage.validate(buffer, -1, ProbeMessage.HEADER_LENGTH));
        assertEquals(ProbeVerdict.TRUNCATED, ProbeMessage.validate(buffer, 1, Integer.MAX_VALUE));
    }

    @Test
    void shouldNameTheFaultOfEachCorruptedField()
    {
        final UnsafeBuffer buffer = new UnsafeBuffer(new byte[ProbeMessage.MAX_LENGTH]);
        final int length = encode(buffer, 0, 2);
        assertVerdict(buffer, length, 0, (byte)0x00, ProbeVerdict.BAD_MAGIC);
        assertVerdict(buffer, length, ProbeMessage.VERSION_OFFSET, (byte)2, ProbeVerdict.BAD_VERSION);
        assertVerdict(buffer, length, ProbeMessage.TYPE_OFFSET, (byte)9, ProbeVerdict.BAD_TYPE);
        assertVerdict(buffer, length, ProbeMessage.ROUTE_OFFSET + 1, (byte)0, ProbeVerdict.BAD_ROUTE);
        assertVerdict(buffer, length, ProbeMessage.ENTRY_COUNT_OFFSET, (byte)1, ProbeVerdict.TOO_MANY_ENTRIES);
        assertVerdict(buffer, length, ProbeMessage.ENTRY_COUNT_OFFSET + 1, (byte)3, ProbeVerdict.ENTRIES_TRUNCATED);
        assertVerdict(buffer, length, ProbeMessage.HEADER_LENGTH + 1, (byte)0, ProbeVerdict.BAD_ENTRY);
        assertVerdict(buffer, length, ProbeMessage.ECHO_TRANSMIT_TIME_OFFSET, (byte)0x80, ProbeVerdict.BAD_ECHO_TIMES);
    }

    private static void assertVerdict(
        final UnsafeBuffer buffer, final int length, final int index, final byte value, final ProbeVerdict expected)
    {
        final byte original = buffer.getByte(index);
        buffer.putByte(index, value);
        assertEquals(expected, ProbeMessage.validate(buffer, 0, length));
        buffer.putByte(index, original);
        assertEquals(ProbeVerdict.OK, ProbeMessage.validate(buffer, 0, length));
    }

    @Test
    void shouldNeverThrowOnSeededRandomBytes()
    {
        final SplittableRandom random = new SplittableRandom(5);
        final UnsafeBuffer buffer = new UnsafeBuffer(new byte[ProbeMessage.MAX_LENGTH]);
        for (int i = 0; i < 20_000; i++)
        {
            final int length = encode(buffer, 0, random.nextInt(4));
            final int flips = 1 + random.nextInt(4);
            for (int f = 0; f < flips; f++)
            {
                buffer.putByte(random.nextInt(length), (byte)random.nextInt(256));
            }
            final int cut = random.nextInt(length + 1);
            assertNotNull(ProbeMessage.validate(new UnsafeBuffer(buffer, 0, cut), 0, cut));
        }
    }

    @Property(tries = 500)
    void shouldGiveAVerdictNeverAnExceptionForArbitraryBytes(
        @ForAll @Size(max = 300) final byte[] bytes,
        @ForAll @IntRange(min = 0, max = 8) final int offset)
    {
        final UnsafeBuffer buffer = new UnsafeBuffer(new byte[bytes.length + offset]);
        buffer.putBytes(offset, bytes);
        assertNotNull(ProbeMessage.validate(buffer, offset, bytes.length));
    }
}
