package io.flyover.tools.lab;

import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/**
 * The backend's download content: a deterministic pseudo-random byte stream named by a seed, so
 * the lab knows the SHA-256 a download must arrive with without storing the file. Word {@code k}
 * (bytes {@code 8k..8k+7}, little-endian) is the SplitMix64 output for {@code seed + k}.
 */
public final class Payload
{
    /** Bytes per generated chunk (a multiple of 8). */
    public static final int CHUNK = 64 * 1024;

    private Payload()
    {
    }

    /**
     * Fill a chunk of the stream.
     *
     * @param seed   the stream's seed.
     * @param offset the stream position of {@code buffer[0]}, a multiple of 8.
     * @param buffer where the bytes go.
     * @param length how many bytes.
     */
    public static void fill(final long seed, final long offset, final byte[] buffer, final int length)
    {
        long word = offset >>> 3;
        for (int i = 0; i < length; i += 8, word++)
        {
            long z = seed + word * 0x9E3779B97F4A7C15L;
            z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
            z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
            z = z ^ (z >>> 31);
            final int n = Math.min(8, length - i);
            for (int b = 0; b < n; b++)
            {
                buffer[i + b] = (byte)(z >>> (8 * b));
            }
        }
    }

    /**
     * @param seed  the stream's seed.
     * @param bytes its length.
     * @return the SHA-256 of the stream, in hex.
     */
    public static String sha256(final long seed, final long bytes)
    {
        final MessageDigest digest = sha256();
        final byte[] chunk = new byte[CHUNK];
        for (long offset = 0; offset < bytes; offset += CHUNK)
        {
            final int n = (int)Math.min(CHUNK, bytes - offset);
            fill(seed, offset, chunk, n);
            digest.update(chunk, 0, n);
        }
        return HexFormat.of().formatHex(digest.digest());
    }

    /**
     * @return a fresh SHA-256 digest.
     */
    public static MessageDigest sha256()
    {
        try
        {
            return MessageDigest.getInstance("SHA-256");
        }
        catch (final NoSuchAlgorithmException ex)
        {
            throw new IllegalStateException("the JDK always has SHA-256", ex);
        }
    }
}
