package io.flyover.dataplane.hash;

/**
 * XXH64, the 64-bit xxHash algorithm as specified by its author (version 0.8 of the
 * specification, seeded), written here from the specification. It is the project's fixed,
 * documented hash wherever a value must be the same in every process, JVM and host: Maglev
 * permutations, path-table fills, table digests.
 * <p>
 * Pure integer arithmetic on the input's bytes read little-endian, independent of the platform's
 * byte order, so the result is identical everywhere. It is not a keyed pseudo-random function:
 * do not use it where an adversary could choose inputs to collide (the flow table seeds its own
 * hash per table, and the backbone tag uses SipHash).
 * <p>
 * Stateless and thread-safe; nothing allocates.
 */
public final class XxHash64
{
    /** Prime 1 of the specification. */
    public static final long PRIME64_1 = 0x9E3779B185EBCA87L;
    /** Prime 2 of the specification. */
    public static final long PRIME64_2 = 0xC2B2AE3D27D4EB4FL;
    /** Prime 3 of the specification. */
    public static final long PRIME64_3 = 0x165667B19E3779F9L;
    /** Prime 4 of the specification. */
    public static final long PRIME64_4 = 0x85EBCA77C2B2AE63L;
    /** Prime 5 of the specification. */
    public static final long PRIME64_5 = 0x27D4EB2F165667C5L;

    private XxHash64()
    {
    }

    /**
     * XXH64 of a byte range.
     *
     * @param data   the bytes.
     * @param offset first byte.
     * @param length number of bytes.
     * @param seed   the seed.
     * @return the 64-bit hash.
     */
    public static long hash(final byte[] data, final int offset, final int length, final long seed)
    {
        final int end = offset + length;
        int p = offset;
        long h;

        if (length >= 32)
        {
            long v1 = seed + PRIME64_1 + PRIME64_2;
            long v2 = seed + PRIME64_2;
            long v3 = seed;
            long v4 = seed - PRIME64_1;
            final int limit = end - 32;
            do
            {
                v1 = round(v1, getLongLE(data, p));
                v2 = round(v2, getLongLE(data, p + 8));
                v3 = round(v3, getLongLE(data, p + 16));
                v4 = round(v4, getLongLE(data, p + 24));
                p += 32;
            }
            while (p <= limit);

            h = Long.rotateLeft(v1, 1) + Long.rotateLeft(v2, 7) + Long.rotateLeft(v3, 12) + Long.rotateLeft(v4, 18);
            h = mergeRound(h, v1);
            h = mergeRound(h, v2);
            h = mergeRound(h, v3);
            h = mergeRound(h, v4);
        }
        else
        {
            h = seed + PRIME64_5;
        }

        h += length;

        while (p + 8 <= end)
        {
            h = mixLane(h, getLongLE(data, p));
            p += 8;
        }

        if (p + 4 <= end)
        {
            h ^= (getIntLE(data, p) & 0xFFFF_FFFFL) * PRIME64_1;
            h = Long.rotateLeft(h, 23) * PRIME64_2 + PRIME64_3;
            p += 4;
        }

        while (p < end)
        {
            h ^= (data[p] & 0xFFL) * PRIME64_5;
            h = Long.rotateLeft(h, 11) * PRIME64_1;
            p++;
        }

        return avalanche(h);
    }

    /**
     * XXH64 of a whole array.
     *
     * @param data the bytes.
     * @param seed the seed.
     * @return the 64-bit hash.
     */
    public static long hash(final byte[] data, final long seed)
    {
        return hash(data, 0, data.length, seed);
    }

    /**
     * One accumulator round of the specification.
     *
     * @param accumulator the accumulator.
     * @param lane        an 8-byte lane of input.
     * @return the new accumulator.
     */
    public static long round(final long accumulator, final long lane)
    {
        return Long.rotateLeft(accumulator + lane * PRIME64_2, 31) * PRIME64_1;
    }

    /**
     * Folds one 8-byte lane into a running hash, as the specification's tail loop does. Hashing
     * {@code n} lanes from {@code seed + PRIME64_5 + 8n} with this and then {@link #avalanche(long)}
     * equals {@link #hash(byte[], int, int, long)} of the same {@code 8n < 32} bytes written
     * little-endian.
     *
     * @param hash the running hash.
     * @param lane the lane.
     * @return the new running hash.
     */
    public static long mixLane(final long hash, final long lane)
    {
        return Long.rotateLeft(hash ^ round(0, lane), 27) * PRIME64_1 + PRIME64_4;
    }

    /**
     * The final avalanche of the specification: every input bit affects every output bit.
     *
     * @param hash the running hash.
     * @return the mixed hash.
     */
    public static long avalanche(final long hash)
    {
        long h = hash;
        h ^= h >>> 33;
        h *= PRIME64_2;
        h ^= h >>> 29;
        h *= PRIME64_3;
        h ^= h >>> 32;
        return h;
    }

    private static long mergeRound(final long hash, final long accumulator)
    {
        return (hash ^ round(0, accumulator)) * PRIME64_1 + PRIME64_4;
    }

    private static long getLongLE(final byte[] data, final int index)
    {
        return (data[index] & 0xFFL) |
            (data[index + 1] & 0xFFL) << 8 |
            (data[index + 2] & 0xFFL) << 16 |
            (data[index + 3] & 0xFFL) << 24 |
            (data[index + 4] & 0xFFL) << 32 |
            (data[index + 5] & 0xFFL) << 40 |
            (data[index + 6] & 0xFFL) << 48 |
            (data[index + 7] & 0xFFL) << 56;
    }

    private static int getIntLE(final byte[] data, final int index)
    {
        return (data[index] & 0xFF) |
            (data[index + 1] & 0xFF) << 8 |
            (data[index + 2] & 0xFF) << 16 |
            (data[index + 3] & 0xFF) << 24;
    }
}
