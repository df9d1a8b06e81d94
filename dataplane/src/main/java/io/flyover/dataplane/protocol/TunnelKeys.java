package io.flyover.dataplane.protocol;

import java.util.Arrays;

/**
 * The backbone keys valid at one time, by key id (0..255): an immutable snapshot the control
 * plane builds and publishes by reference swap; workers look keys up per packet by array index,
 * with no allocation. Several ids can be valid at once so keys rotate without loss: add the new
 * key, move senders to it, then drop the old one.
 * <p>
 * Each key is SipHash's 128-bit key as two little-endian words, {@code k0} (key bytes 0..7) and
 * {@code k1} (key bytes 8..15). Immutable; any thread.
 */
public final class TunnelKeys
{
    /** Largest key id. */
    public static final int MAX_KEY_ID = 0xFF;

    private static final TunnelKeys EMPTY = new TunnelKeys(new long[2 * (MAX_KEY_ID + 1)], new boolean[MAX_KEY_ID + 1]);

    private final long[] words;
    private final boolean[] present;

    private TunnelKeys(final long[] words, final boolean[] present)
    {
        this.words = words;
        this.present = present;
    }

    /**
     * @return a key set with no key.
     */
    public static TunnelKeys empty()
    {
        return EMPTY;
    }

    /**
     * @param keyId 0..255.
     * @param k0    key bytes 0..7, little-endian.
     * @param k1    key bytes 8..15, little-endian.
     * @return a key set with that one key.
     */
    public static TunnelKeys of(final int keyId, final long k0, final long k1)
    {
        return EMPTY.with(keyId, k0, k1);
    }

    /**
     * @param keyId 0..255.
     * @param k0    key bytes 0..7, little-endian.
     * @param k1    key bytes 8..15, little-endian.
     * @return a copy of this set with that key added or replaced.
     * @throws IllegalArgumentException if the key id is out of range.
     */
    public TunnelKeys with(final int keyId, final long k0, final long k1)
    {
        checkKeyId(keyId);
        final long[] newWords = words.clone();
        final boolean[] newPresent = present.clone();
        newWords[keyId << 1] = k0;
        newWords[(keyId << 1) + 1] = k1;
        newPresent[keyId] = true;
        return new TunnelKeys(newWords, newPresent);
    }

    /**
     * @param keyId 0..255.
     * @param key   16 key bytes, as SipHash's reference takes them.
     * @return a copy of this set with that key added or replaced.
     * @throws IllegalArgumentException if the key id is out of range or the key is not 16 bytes.
     */
    public TunnelKeys with(final int keyId, final byte[] key)
    {
        if (16 != key.length)
        {
            throw new IllegalArgumentException("a tunnel key is 16 bytes, got " + key.length);
        }
        return with(keyId, SipHash24.k0(key), SipHash24.k1(key));
    }

    /**
     * @param keyId 0..255.
     * @return a copy of this set without that key.
     * @throws IllegalArgumentException if the key id is out of range.
     */
    public TunnelKeys without(final int keyId)
    {
        checkKeyId(keyId);
        final long[] newWords = words.clone();
        final boolean[] newPresent = present.clone();
        newWords[keyId << 1] = 0;
        newWords[(keyId << 1) + 1] = 0;
        newPresent[keyId] = false;
        return new TunnelKeys(newWords, newPresent);
    }

    /**
     * @param keyId any int; only 0..255 can be present.
     * @return true if a key has that id.
     */
    public boolean contains(final int keyId)
    {
        return (keyId & ~MAX_KEY_ID) == 0 && present[keyId];
    }

    /**
     * @param keyId a key id that {@link #contains(int)}.
     * @return its {@code k0}; 0 for an absent id in range.
     */
    public long k0(final int keyId)
    {
        return words[keyId << 1];
    }

    /**
     * @param keyId a key id that {@link #contains(int)}.
     * @return its {@code k1}; 0 for an absent id in range.
     */
    public long k1(final int keyId)
    {
        return words[(keyId << 1) + 1];
    }

    /**
     * @return how many key ids hold a key.
     */
    public int size()
    {
        int n = 0;
        for (final boolean p : present)
        {
            n += p ? 1 : 0;
        }
        return n;
    }

    /**
     * Lists the key ids only, never key material.
     * {@inheritDoc}
     */
    @Override
    public String toString()
    {
        final StringBuilder sb = new StringBuilder("TunnelKeys{ids=[");
        String sep = "";
        for (int id = 0; id <= MAX_KEY_ID; id++)
        {
            if (present[id])
            {
                sb.append(sep).append(id);
                sep = ", ";
            }
        }
        return sb.append("]}").toString();
    }

    /**
     * {@inheritDoc}
     */
    @Override
    public boolean equals(final Object o)
    {
        return o instanceof final TunnelKeys that &&
            Arrays.equals(words, that.words) && Arrays.equals(present, that.present);
    }

    /**
     * {@inheritDoc}
     */
    @Override
    public int hashCode()
    {
        return 31 * Arrays.hashCode(words) + Arrays.hashCode(present);
    }

    private static void checkKeyId(final int keyId)
    {
        if ((keyId & ~MAX_KEY_ID) != 0)
        {
            throw new IllegalArgumentException("key id must be 0.." + MAX_KEY_ID + ", got " + keyId);
        }
    }
}
