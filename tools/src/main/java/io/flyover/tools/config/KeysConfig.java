package io.flyover.tools.config;

import java.util.List;

/**
 * The backbone keys: every key in {@code active} verifies received packets, so a key can be
 * rolled out everywhere before any POP sends with it; {@code sendKeyId} names the key this POP
 * tags its packets with.
 *
 * @param sendKeyId the id of the key used for sending; one of {@code active}.
 * @param active    the keys accepted, at least one, ids unique.
 */
public record KeysConfig(int sendKeyId, List<BackboneKey> active)
{
    public KeysConfig
    {
        active = List.copyOf(active);
    }

    /**
     * The key this POP sends with.
     *
     * @return the key named by {@code sendKeyId}, or {@code null} if there is none.
     */
    public BackboneKey sendKey()
    {
        for (final BackboneKey key : active)
        {
            if (key.id() == sendKeyId)
            {
                return key;
            }
        }
        return null;
    }
}
