package io.flyover.dataplane.protocol;

import org.agrona.concurrent.UnsafeBuffer;

import java.util.HexFormat;

/**
 * Hex helpers for golden vectors.
 */
final class Hex
{
    private Hex()
    {
    }

    static byte[] bytes(final String hex)
    {
        return HexFormat.of().parseHex(hex.replace(" ", "").replace("\n", ""));
    }

    static UnsafeBuffer buffer(final String hex)
    {
        return new UnsafeBuffer(bytes(hex));
    }

    static String hex(final byte[] bytes, final int offset, final int length)
    {
        return HexFormat.of().formatHex(bytes, offset, offset + length);
    }
}
