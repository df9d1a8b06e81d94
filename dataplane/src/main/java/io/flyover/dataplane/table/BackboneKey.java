package io.flyover.dataplane.table;

/**
 * A backbone key: the 128-bit SipHash-2-4 key that tags tunnel packets, and its key id as carried
 * in the Flyover option. {@link #toString()} never shows the key material.
 *
 * @param keyId the key id, {@code 0..255}.
 * @param k0    the key's first 8 bytes as a little-endian long (SipHash's k0).
 * @param k1    the key's last 8 bytes as a little-endian long (SipHash's k1).
 */
public record BackboneKey(int keyId, long k0, long k1)
{
    /** Largest key id: the option's key id field is 8 bits. */
    public static final int MAX_KEY_ID = 0xFF;

    /**
     * Validates the key id.
     */
    public BackboneKey
    {
        if (keyId < 0 || keyId > MAX_KEY_ID)
        {
            throw new IllegalArgumentException("key id out of range 0.." + MAX_KEY_ID + ": " + keyId);
        }
    }

    /**
     * {@inheritDoc}
     */
    @Override
    public String toString()
    {
        return "BackboneKey[keyId=" + keyId + ", key=<redacted>]";
    }
}
