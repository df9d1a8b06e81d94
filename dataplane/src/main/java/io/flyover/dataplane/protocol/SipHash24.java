package io.flyover.dataplane.protocol;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;

import org.agrona.DirectBuffer;

/**
 * SipHash-2-4 (Aumasson and Bernstein, "SipHash: a fast short-input PRF", 2012): a keyed 64-bit
 * PRF used by Flyover as the tunnel MAC. Written from the paper's description:
 * <ul>
 *   <li>the 128-bit key is two 64-bit little-endian words {@code k0} (key bytes 0..7) and
 *       {@code k1} (key bytes 8..15);</li>
 *   <li>state {@code v0..v3} starts as {@code k0, k1, k0, k1} xor the constants
 *       "somepseudorandomlygeneratedbytes";</li>
 *   <li>each 8-byte little-endian message word {@code m} is absorbed as {@code v3 ^= m}, two
 *       SipRounds, {@code v0 ^= m};</li>
 *   <li>the last word holds the 0..7 leftover bytes and, in its top byte, the message length mod
 *       256;</li>
 *   <li>finalization: {@code v2 ^= 0xff}, four SipRounds, output {@code v0 ^ v1 ^ v2 ^ v3}.</li>
 * </ul>
 * The output is the 64-bit value; the reference prints it as its 8 little-endian bytes.
 * Stateless, zero allocation; any thread.
 */
public final class SipHash24
{
    static final long C0 = 0x736f6d6570736575L; // "somepseu"
    static final long C1 = 0x646f72616e646f6dL; // "dorandom"
    static final long C2 = 0x6c7967656e657261L; // "lygenera"
    static final long C3 = 0x7465646279746573L; // "tedbytes"

    private static final VarHandle LONG_LE = MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.LITTLE_ENDIAN);

    private SipHash24()
    {
    }

    /**
     * @param key 16 key bytes.
     * @return {@code k0}: key bytes 0..7 read little-endian.
     */
    public static long k0(final byte[] key)
    {
        return (long)LONG_LE.get(key, 0);
    }

    /**
     * @param key 16 key bytes.
     * @return {@code k1}: key bytes 8..15 read little-endian.
     */
    public static long k1(final byte[] key)
    {
        return (long)LONG_LE.get(key, 8);
    }

    /**
     * @param k0     key bytes 0..7, little-endian.
     * @param k1     key bytes 8..15, little-endian.
     * @param buffer holding the message.
     * @param offset of the message.
     * @param length of the message in bytes.
     * @return SipHash-2-4 of the message.
     */
    public static long hash(final long k0, final long k1, final DirectBuffer buffer, final int offset, final int length)
    {
        long v0 = k0 ^ C0;
        long v1 = k1 ^ C1;
        long v2 = k0 ^ C2;
        long v3 = k1 ^ C3;

        final int end = offset + (length & ~7);
        for (int i = offset; i < end; i += 8)
        {
            final long m = buffer.getLong(i, ByteOrder.LITTLE_ENDIAN);
            v3 ^= m;
            for (int r = 0; r < 2; r++)
            {
                v0 += v1; v1 = Long.rotateLeft(v1, 13); v1 ^= v0; v0 = Long.rotateLeft(v0, 32);
                v2 += v3; v3 = Long.rotateLeft(v3, 16); v3 ^= v2;
                v0 += v3; v3 = Long.rotateLeft(v3, 21); v3 ^= v0;
                v2 += v1; v1 = Long.rotateLeft(v1, 17); v1 ^= v2; v2 = Long.rotateLeft(v2, 32);
            }
            v0 ^= m;
        }

        long last = (long)length << 56;
        for (int i = length & 7; i > 0; i--)
        {
            last |= (buffer.getByte(end + i - 1) & 0xFFL) << ((i - 1) << 3);
        }
        return finish(v0, v1, v2, v3, last);
    }

    /**
     * @param k0      key bytes 0..7, little-endian.
     * @param k1      key bytes 8..15, little-endian.
     * @param message holding the message.
     * @param offset  of the message.
     * @param length  of the message in bytes.
     * @return SipHash-2-4 of the message.
     */
    public static long hash(final long k0, final long k1, final byte[] message, final int offset, final int length)
    {
        long v0 = k0 ^ C0;
        long v1 = k1 ^ C1;
        long v2 = k0 ^ C2;
        long v3 = k1 ^ C3;

        final int end = offset + (length & ~7);
        for (int i = offset; i < end; i += 8)
        {
            final long m = (long)LONG_LE.get(message, i);
            v3 ^= m;
            for (int r = 0; r < 2; r++)
            {
                v0 += v1; v1 = Long.rotateLeft(v1, 13); v1 ^= v0; v0 = Long.rotateLeft(v0, 32);
                v2 += v3; v3 = Long.rotateLeft(v3, 16); v3 ^= v2;
                v0 += v3; v3 = Long.rotateLeft(v3, 21); v3 ^= v0;
                v2 += v1; v1 = Long.rotateLeft(v1, 17); v1 ^= v2; v2 = Long.rotateLeft(v2, 32);
            }
            v0 ^= m;
        }

        long last = (long)length << 56;
        for (int i = length & 7; i > 0; i--)
        {
            last |= (message[end + i - 1] & 0xFFL) << ((i - 1) << 3);
        }
        return finish(v0, v1, v2, v3, last);
    }

    /**
     * Absorbs the last word (leftover bytes and length) and finalizes.
     */
    static long finish(long v0, long v1, long v2, long v3, final long last)
    {
        v3 ^= last;
        for (int r = 0; r < 2; r++)
        {
            v0 += v1; v1 = Long.rotateLeft(v1, 13); v1 ^= v0; v0 = Long.rotateLeft(v0, 32);
            v2 += v3; v3 = Long.rotateLeft(v3, 16); v3 ^= v2;
            v0 += v3; v3 = Long.rotateLeft(v3, 21); v3 ^= v0;
            v2 += v1; v1 = Long.rotateLeft(v1, 17); v1 ^= v2; v2 = Long.rotateLeft(v2, 32);
        }
        v0 ^= last;

        v2 ^= 0xFF;
        for (int r = 0; r < 4; r++)
        {
            v0 += v1; v1 = Long.rotateLeft(v1, 13); v1 ^= v0; v0 = Long.rotateLeft(v0, 32);
            v2 += v3; v3 = Long.rotateLeft(v3, 16); v3 ^= v2;
            v0 += v3; v3 = Long.rotateLeft(v3, 21); v3 ^= v0;
            v2 += v1; v1 = Long.rotateLeft(v1, 17); v1 ^= v2; v2 = Long.rotateLeft(v2, 32);
        }
        return v0 ^ v1 ^ v2 ^ v3;
    }
}
