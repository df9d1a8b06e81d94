package io.flyover.dataplane.table;

import io.flyover.dataplane.protocol.TunnelKeys;

import java.util.ArrayList;
import java.util.Collection;
import java.util.List;

/**
 * The backbone keys valid on links with one POP at one time: several during a rotation, one of
 * them the key this POP tags with. Immutable; {@link #key(int)} is an array read.
 */
public final class KeyRing
{
    private final BackboneKey[] byId = new BackboneKey[BackboneKey.MAX_KEY_ID + 1];
    private final List<BackboneKey> keys;
    private final BackboneKey sendKey;
    private final TunnelKeys tunnelKeys;

    /**
     * @param sendKeyId the id of the key to tag with; must be among the keys.
     * @param keys      the valid keys, ids unique.
     */
    public KeyRing(final int sendKeyId, final Collection<BackboneKey> keys)
    {
        final List<BackboneKey> list = new ArrayList<>(keys.size());
        for (final BackboneKey key : keys)
        {
            if (null != byId[key.keyId()])
            {
                throw new IllegalArgumentException("duplicate key id " + key.keyId());
            }
            byId[key.keyId()] = key;
            list.add(key);
        }
        if (sendKeyId < 0 || sendKeyId > BackboneKey.MAX_KEY_ID || null == byId[sendKeyId])
        {
            throw new IllegalArgumentException("send key id " + sendKeyId + " is not in the ring");
        }
        this.keys = List.copyOf(list);
        this.sendKey = byId[sendKeyId];
        TunnelKeys tunnel = TunnelKeys.empty();
        for (final BackboneKey key : list)
        {
            tunnel = tunnel.with(key.keyId(), key.k0(), key.k1());
        }
        this.tunnelKeys = tunnel;
    }

    /**
     * @return the same keys in the form {@link io.flyover.dataplane.protocol.TunnelTag} verifies with.
     */
    public TunnelKeys tunnelKeys()
    {
        return tunnelKeys;
    }

    /**
     * @param keyId a key id from a packet (any int; only {@code 0..255} can match).
     * @return the key, or {@code null} if this ring does not hold it.
     */
    public BackboneKey key(final int keyId)
    {
        return keyId >= 0 && keyId < byId.length ? byId[keyId] : null;
    }

    /**
     * @return the key to tag with.
     */
    public BackboneKey sendKey()
    {
        return sendKey;
    }

    /**
     * @return every valid key.
     */
    public List<BackboneKey> keys()
    {
        return keys;
    }

    /**
     * {@inheritDoc}
     */
    @Override
    public String toString()
    {
        final StringBuilder sb = new StringBuilder("KeyRing[send=").append(sendKey.keyId()).append(", ids=");
        for (int i = 0; i < keys.size(); i++)
        {
            sb.append(i > 0 ? "," : "").append(keys.get(i).keyId());
        }
        return sb.append(']').toString();
    }
}
