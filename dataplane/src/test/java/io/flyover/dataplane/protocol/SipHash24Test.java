package io.flyover.dataplane.protocol;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.ByteOrder;

import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.Test;

import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.Size;

class SipHash24Test
{
    /**
     * The 64 SipHash-2-4 64-bit outputs published with the reference implementation (vectors.h,
     * vectors_sip64): key 00 01 .. 0f, message i = 00 01 .. (i-1). Each entry is the output's 8
     * bytes as printed there, least significant byte first.
     */
    private static final String[] VECTORS_SIP64 = {
        "310e0edd47db6f72", "fd67dc93c539f874", "5a4fa9d909806c0d", "2d7efbd796666785",
        "b7877127e09427cf", "8da699cd64557618", "cee3fe586e46c9cb", "37d1018bf50002ab",
        "6224939a79f5f593", "b0e4a90bdf82009e", "f3b9dd94c5bb5d7a", "a7ad6b22462fb3f4",
        "fbe50e86bc8f1e75", "903d84c02756ea14", "eef27a8e90ca23f7", "e545be4961ca29a1",
        "db9bc2577fcc2a3f", "9447be2cf5e99a69", "9cd38d96f0b3c14b", "bd6179a71dc96dbb",
        "98eea21af25cd6be", "c7673b2eb0cbf2d0", "883ea3e395675393", "c8ce5ccd8c030ca8",
        "94af49f6c650adb8", "eab8858ade92e1bc", "f315bb5bb835d817", "adcf6b0763612e2f",
        "a5c91da7acaa4dde", "716595876650a2a6", "28ef495c53a387ad", "42c341d8fa92d832",
        "ce7cf2722f512771", "e37859f94623f3a7", "381205bb1ab0e012", "ae97a10fd434e015",
        "b4a31508beff4d31", "81396229f0907902", "4d0cf49ee5d4dcca", "5c73336a76d8bf9a",
        "d0a704536ba93e0e", "925958fcd6420cad", "a915c29bc8067318", "952b79f3bc0aa6d4",
        "f21df2e41d4535f9", "87577519048f53a9", "10a56cf5dfcd9adb", "eb75095ccd986cd0",
        "51a9cb9ecba312e6", "96afadfc2ce666c7", "72fe52975a4364ee", "5a1645b276d592a1",
        "b274cb8ebf87870a", "6f9bb4203de7b381", "eaecb2a30b22a87f", "9924a43cc1315724",
        "bd838d3aafbf8db7", "0b1a2a3265d51aea", "135079a3231ce660", "932b2846e4d70666",
        "e1915f5cb1eca46c", "f325965ca16d629f", "575ff28e60381be5", "724506eb4c328a95",
    };

    private static final byte[] KEY = TestPackets.hex("000102030405060708090a0b0c0d0e0f");

    private static long expected(final int i)
    {
        return new UnsafeBuffer(TestPackets.hex(VECTORS_SIP64[i])).getLong(0, ByteOrder.LITTLE_ENDIAN);
    }

    private static byte[] message(final int length)
    {
        final byte[] m = new byte[length];
        for (int i = 0; i < length; i++)
        {
            m[i] = (byte)i;
        }
        return m;
    }

    @Test
    void shouldReadKeyWordsLittleEndian()
    {
        assertEquals(0x0706050403020100L, SipHash24.k0(KEY));
        assertEquals(0x0f0e0d0c0b0a0908L, SipHash24.k1(KEY));
    }

    @Test
    void shouldHashEmptyMessageToFirstReferenceVector()
    {
        assertEquals(0x726fdb47dd0e0e31L, SipHash24.hash(SipHash24.k0(KEY), SipHash24.k1(KEY), new byte[0], 0, 0));
    }

    @Test
    void shouldMatchAll64ReferenceVectorsOverByteArray()
    {
        final long k0 = SipHash24.k0(KEY);
        final long k1 = SipHash24.k1(KEY);
        for (int i = 0; i < 64; i++)
        {
            assertEquals(expected(i), SipHash24.hash(k0, k1, message(i), 0, i), "vector " + i);
        }
    }

    @Test
    void shouldMatchAll64ReferenceVectorsOverDirectBufferAtUnalignedOffsets()
    {
        final long k0 = SipHash24.k0(KEY);
        final long k1 = SipHash24.k1(KEY);
        for (int offset = 0; offset < 8; offset++)
        {
            for (int i = 0; i < 64; i++)
            {
                // Exact-size buffer: a read past the message would throw.
                final byte[] bytes = new byte[offset + i];
                System.arraycopy(message(i), 0, bytes, offset, i);
                final UnsafeBuffer buffer = new UnsafeBuffer(bytes);
                assertEquals(expected(i), SipHash24.hash(k0, k1, buffer, offset, i), "vector " + i + " at " + offset);
            }
        }
    }

    @Property(tries = 200)
    void shouldAgreeBetweenByteArrayAndDirectBuffer(
        @ForAll final long k0,
        @ForAll final long k1,
        @ForAll @Size(max = 100) final byte[] message,
        @ForAll @IntRange(max = 9) final int offset)
    {
        final byte[] shifted = new byte[offset + message.length];
        System.arraycopy(message, 0, shifted, offset, message.length);
        assertEquals(
            SipHash24.hash(k0, k1, message, 0, message.length),
            SipHash24.hash(k0, k1, new UnsafeBuffer(shifted), offset, message.length));
    }
}
