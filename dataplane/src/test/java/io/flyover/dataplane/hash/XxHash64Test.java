package io.flyover.dataplane.hash;

import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * Vectors from the reference implementation's {@code xxhsum -H1} (Debian package xxhash 0.8.1),
 * chosen to cover every branch: empty, 1 byte, 3 bytes, 8 + 4 bytes, 8 + 4 + 3 bytes, one
 * 32-byte stripe, stripes plus tail, and a long input.
 */
class XxHash64Test
{
    @Test
    void shouldMatchReferenceVectors()
    {
        assertEquals(0xEF46DB3751D8E999L, hash(""));
        assertEquals(0xD24EC4F1A98C6E5BL, hash("a"));
        assertEquals(0x44BC2CF5AD770999L, hash("abc"));
        assertEquals(0x4B09B7D3A233D4B3L, hash("abcdefghijkl"));
        assertEquals(0x2E1218A2B1375068L, hash("abcdefghijklmno"));
        assertEquals(0xBF7C9DBE16B5C6E2L, hash("0123456789abcdefghijklmnopqrstuv"));
        assertEquals(0x59958A6B5F12DBC1L,
            hash("0123456789abcdefghijklmnopqrstuvwxyz0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ!"));
        assertEquals(0x4CB9A3B69CB700E1L, hash("x".repeat(1000)));
    }

    @Test
    void shouldHashAnOffsetRangeLikeACopy()
    {
        final byte[] data = "--abcdefghijklmno--".getBytes(StandardCharsets.US_ASCII);
        assertEquals(0x2E1218A2B1375068L, XxHash64.hash(data, 2, 15, 0));
    }

    @Test
    void shouldEqualLaneMixingForShortWholeLanes()
    {
        final byte[] data = new byte[24];
        final long[] lanes = {0x0102030405060708L, 0xF0E0D0C0B0A09080L, 42L};
        for (int i = 0; i < 24; i++)
        {
            data[i] = (byte)(lanes[i / 8] >>> (8 * (i % 8)));
        }
        final long seed = 7;
        long h = seed + XxHash64.PRIME64_5 + 24;
        for (final long lane : lanes)
        {
            h = XxHash64.mixLane(h, lane);
        }
        assertEquals(XxHash64.hash(data, seed), XxHash64.avalanche(h));
    }

    private static long hash(final String s)
    {
        return XxHash64.hash(s.getBytes(StandardCharsets.US_ASCII), 0);
    }
}
