package io.flyover.tools.config;

/**
 * One 128-bit SipHash-2-4 key for the tunnel tag, named by the key id carried in the option.
 * The key's bytes, as written in hex, are {@code k0} (bytes 0..7) and {@code k1} (bytes 8..15),
 * each read little-endian as in the SipHash reference. {@link #toString()} never shows them.
 *
 * @param id the key id, 0..255.
 * @param k0 the first 64 bits of the key, little-endian.
 * @param k1 the second 64 bits of the key, little-endian.
 */
public record BackboneKey(int id, long k0, long k1)
{
    /**
     * The key's 16 bytes in the order they were written in hex.
     *
     * @return a fresh array of 16 bytes.
     */
    public byte[] keyBytes()
    {
        final byte[] bytes = new byte[16];
        for (int i = 0; i < 8; i++)
        {
            bytes[i] = (byte)(k0 >>> (8 * i));
            bytes[8 + i] = (byte)(k1 >>> (8 * i));
        }
        return bytes;
    }

    @Override
    public String toString()
    {
        return "BackboneKey[id=" + id + ", key=<redacted>]";
    }
}
