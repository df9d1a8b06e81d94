package io.flyover.tools.pcap;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class CaptureReaderTest
{
    @TempDir
    Path dir;

    /** Builds pcapng blocks by hand, in a chosen byte order. */
    private static final class Blocks
    {
        private final ByteArrayOutputStream out = new ByteArrayOutputStream();
        private final ByteOrder order;

        Blocks(final ByteOrder order)
        {
            this.order = order;
        }

        Blocks block(final int type, final byte[] body)
        {
            final int padded = (body.length + 3) & ~3;
            final ByteBuffer b = ByteBuffer.allocate(12 + padded).order(order);
            b.putInt(type).putInt(12 + padded).put(body);
            b.position(8 + padded);
            b.putInt(12 + padded);
            out.writeBytes(b.array());
            return this;
        }

        Blocks section()
        {
            final ByteBuffer b = ByteBuffer.allocate(16).order(order);
            b.putInt(0x1A2B3C4D).putShort((short)1).putShort((short)0).putLong(-1);
            return block(0x0A0D0D0A, b.array());
        }

        Blocks iface(final int linkType, final int tsresol, final long tsoffset)
        {
            final ByteBuffer b = ByteBuffer.allocate(8 + 8 + 12 + 4).order(order);
            b.putShort((short)linkType).putShort((short)0).putInt(65_535);
            b.putShort((short)9).putShort((short)1).put((byte)tsresol).put(new byte[3]);
            b.putShort((short)14).putShort((short)8).putLong(tsoffset);
            b.putInt(0);
            return block(1, b.array());
        }

        Blocks enhanced(final int iface, final long units, final byte[] data)
        {
            final ByteBuffer b = ByteBuffer.allocate(20 + ((data.length + 3) & ~3)).order(order);
            b.putInt(iface).putInt((int)(units >>> 32)).putInt((int)units).putInt(data.length).putInt(data.length + 10);
            b.put(data);
            return block(6, b.array());
        }

        Blocks simple(final byte[] data)
        {
            final ByteBuffer b = ByteBuffer.allocate(4 + ((data.length + 3) & ~3)).order(order);
            b.putInt(data.length).put(data);
            return block(3, b.array());
        }

        byte[] bytes()
        {
            return out.toByteArray();
        }
    }

    private static byte[] ipv4(final int marker)
    {
        final byte[] p = new byte[24];
        p[0] = 0x45;
        p[3] = 24;
        p[20] = (byte)marker;
        return p;
    }

    private record Read(int linkType, long timestampNs, byte[] data, int originalLength)
    {
    }

    private List<Read> readAll(final byte[] file) throws Exception
    {
        final Path path = dir.resolve("c" + System.nanoTime());
        Files.write(path, file);
        final List<Read> reads = new ArrayList<>();
        try (CaptureReader reader = CaptureReader.open(path))
        {
            final CapturedPacket p = new CapturedPacket();
            final long count = reader.scan(p);
            while (reader.next(p))
            {
                reads.add(new Read(p.linkType(), p.timestampNs(), Arrays.copyOf(p.bytes(), p.length()), p.originalLength()));
            }
            assertEquals(count, reads.size(), "scan counts what next reads");
        }
        return reads;
    }

    @Test
    void shouldReadPcapngWithSeveralSectionsInterfacesResolutionsAndBlockKinds() throws Exception
    {
        for (final ByteOrder order : List.of(ByteOrder.LITTLE_ENDIAN, ByteOrder.BIG_ENDIAN))
        {
            final Blocks blocks = new Blocks(order)
                .section()
                .iface(LinkType.RAW, 6, 0)                 // microseconds
                .iface(LinkType.ETHERNET, 9, 100)          // nanoseconds, +100 s
                .block(0x0000_0BAD, new byte[] {1, 2, 3, 4, 5})  // custom block: skipped
                .block(5, new byte[12])                    // interface statistics: skipped
                .enhanced(0, 1_500_000L, ipv4(1))
                .enhanced(1, 2_000_000_123L, ipv4(2))
                .simple(ipv4(3))                           // interface 0, no timestamp: the last one's
                .section()                                 // a new section forgets the interfaces
                .iface(LinkType.LINUX_SLL2, 0x80 | 20, 0)  // 2^-20 s
                .enhanced(0, 3L << 20 | 1L << 19, ipv4(4));
            final List<Read> reads = readAll(blocks.bytes());
            assertEquals(4, reads.size(), order.toString());
            assertEquals(LinkType.RAW, reads.get(0).linkType());
            assertEquals(1_500_000_000L, reads.get(0).timestampNs());
            assertEquals(34, reads.get(0).originalLength());
            assertArrayEquals(ipv4(1), reads.get(0).data());
            assertEquals(LinkType.ETHERNET, reads.get(1).linkType());
            assertEquals(2_000_000_123L + 100_000_000_000L, reads.get(1).timestampNs());
            assertArrayEquals(ipv4(2), reads.get(1).data());
            assertEquals(LinkType.RAW, reads.get(2).linkType());
            assertEquals(reads.get(1).timestampNs(), reads.get(2).timestampNs());
            assertArrayEquals(ipv4(3), reads.get(2).data());
            assertEquals(LinkType.LINUX_SLL2, reads.get(3).linkType());
            assertEquals(3_500_000_000L, reads.get(3).timestampNs());
        }
    }

    @Test
    void shouldRefusePcapngPacketsOfUndescribedInterfacesAndUnsupportedLinkTypes()
    {
        final byte[] noInterface = new Blocks(ByteOrder.LITTLE_ENDIAN).section().enhanced(0, 1, ipv4(1)).bytes();
        assertTrue(assertThrows(CaptureFormatException.class, () -> readAll(noInterface)).getMessage()
            .contains("names interface 0 of 0"));
        final byte[] usb = new Blocks(ByteOrder.LITTLE_ENDIAN).section().iface(189, 6, 0).bytes();
        assertTrue(assertThrows(CaptureFormatException.class, () -> readAll(usb)).getMessage()
            .contains("unsupported link type 189"));
        final byte[] badOrder = new Blocks(ByteOrder.LITTLE_ENDIAN).section().bytes();
        badOrder[8] = 0x11;
        assertTrue(assertThrows(CaptureFormatException.class, () -> readAll(badOrder)).getMessage()
            .contains("byte-order magic"));
        final byte[] badTrailer = new Blocks(ByteOrder.LITTLE_ENDIAN).section().iface(1, 6, 0).bytes();
        badTrailer[badTrailer.length - 4] ^= 4;
        assertTrue(assertThrows(CaptureFormatException.class, () -> readAll(badTrailer)).getMessage()
            .contains("trailing length"));
    }

    @Test
    void shouldFailWithAFormatErrorOrReadWholePacketsWhereverAFileIsCut() throws Exception
    {
        final byte[] packet = ipv4(7);
        for (final boolean pcapng : List.of(false, true))
        {
            final Path full = dir.resolve("full");
            try (CaptureWriter writer = CaptureWriter.open(full, pcapng, LinkType.RAW, true, ByteOrder.LITTLE_ENDIAN))
            {
                for (int i = 0; i < 5; i++)
                {
                    packet[21] = (byte)i;
                    writer.write(1_000_000_000L * i + i, new UnsafeBuffer(packet), 0, packet.length);
                }
            }
            final byte[] bytes = Files.readAllBytes(full);
            final int recordLength = pcapng ? 32 + 24 : 16 + 24;
            final int headerLength = pcapng ? 28 + 32 : 24;
            for (int cut = 0; cut < bytes.length; cut++)
            {
                final byte[] prefix = Arrays.copyOf(bytes, cut);
                // a pcapng file of just its section header is whole too: a capture of no interface
                final boolean whole = cut >= headerLength && (cut - headerLength) % recordLength == 0
                    || pcapng && 28 == cut;
                if (whole)
                {
                    final List<Read> reads = readAll(prefix);
                    assertEquals(Math.max(0, cut - headerLength) / recordLength, reads.size(), "cut at " + cut);
                    for (int i = 0; i < reads.size(); i++)
                    {
                        assertEquals(1_000_000_000L * i + i, reads.get(i).timestampNs());
                        assertEquals(i, reads.get(i).data()[21]);
                    }
                }
                else
                {
                    final int at = cut;
                    final CaptureFormatException ex = assertThrows(CaptureFormatException.class, () -> readAll(prefix),
                        (pcapng ? "pcapng" : "pcap") + " cut at " + at);
                    assertFalse(ex.getMessage().contains("\n"));
                    assertFalse(ex.getMessage().isBlank());
                }
            }
        }
    }

    @Test
    void shouldWriteWhatItReadsBackInEveryFormatAndOrder() throws Exception
    {
        final byte[] packet = ipv4(9);
        for (final boolean pcapng : List.of(false, true))
        {
            for (final boolean nanos : List.of(false, true))
            {
                for (final ByteOrder order : List.of(ByteOrder.LITTLE_ENDIAN, ByteOrder.BIG_ENDIAN))
                {
                    final Path path = dir.resolve("rw");
                    try (CaptureWriter writer = CaptureWriter.open(path, pcapng, LinkType.LINUX_SLL, nanos, order))
                    {
                        writer.write(1_700_000_000_123_456_789L, new UnsafeBuffer(packet), 0, 21, 24);
                    }
                    final List<Read> reads = readAll(Files.readAllBytes(path));
                    assertEquals(1, reads.size());
                    assertEquals(nanos ? 1_700_000_000_123_456_789L : 1_700_000_000_123_456_000L, reads.get(0).timestampNs());
                    assertEquals(LinkType.LINUX_SLL, reads.get(0).linkType());
                    assertArrayEquals(Arrays.copyOf(packet, 21), reads.get(0).data());
                    assertEquals(24, reads.get(0).originalLength());
                }
            }
        }
    }

    @Test
    void shouldSayWhatIsWrongWithAFileThatIsNoCapture() throws IOException
    {
        final Path text = dir.resolve("notes.txt");
        Files.writeString(text, "just some notes, not packets");
        final CaptureFormatException ex = assertThrows(CaptureFormatException.class, () -> CaptureReader.open(text));
        assertEquals(text + ": not a pcap or pcapng file (magic number 0x6a757374)", ex.getMessage());
        final CaptureFormatException missing = assertThrows(CaptureFormatException.class,
            () -> CaptureReader.open(dir.resolve("nope.pcap")));
        assertEquals(dir.resolve("nope.pcap") + ": no such file", missing.getMessage());
    }
}
