package io.flyover.dataplane.lb;

import java.net.InetAddress;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Objects;

/**
 * A real server in a service's pool. Immutable; built by the control plane.
 * <p>
 * {@link #id()} is the stable handle the data plane stores in a flow entry (a pinned flow keeps
 * its backend by id across pool changes) and is what a Maglev table holds. {@link #identity()}
 * (name, address and port, not the id) is what Maglev hashes into the backend's permutation, so a
 * backend keeps its slots wherever and whenever the table is built.
 * <p>
 * {@link #weight()} 0 drains the backend: it gets no Maglev slots, so no new flows, while flows
 * already pinned to it in a flow table continue until they end or expire.
 *
 * @param id      stable id within its service, {@code 0..MAX_ID}.
 * @param name    operator's name for the backend, part of its identity.
 * @param address its private address (IPv4 or IPv6; never resolved).
 * @param port    its port, {@code 0..65535}; 0 for protocols without ports.
 * @param weight  relative share of new flows, {@code 0..MAX_WEIGHT}; 0 drains.
 */
public record Backend(int id, String name, InetAddress address, int port, int weight)
{
    /** Largest backend id: ids fit the 16 bits a Maglev slot holds, less one value for empty. */
    public static final int MAX_ID = 0xFFFE;

    /** Largest weight. */
    public static final int MAX_WEIGHT = 1 << 20;

    /**
     * Validates the fields.
     */
    public Backend
    {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(address, "address");
        if (id < 0 || id > MAX_ID)
        {
            throw new IllegalArgumentException("backend id out of range 0.." + MAX_ID + ": " + id);
        }
        if (port < 0 || port > 0xFFFF)
        {
            throw new IllegalArgumentException("backend port out of range: " + port);
        }
        if (weight < 0 || weight > MAX_WEIGHT)
        {
            throw new IllegalArgumentException("backend weight out of range 0.." + MAX_WEIGHT + ": " + weight);
        }
    }

    /**
     * The bytes Maglev hashes: the name's UTF-8 length (2 bytes) and bytes, the address length
     * (1 byte) and bytes (network order), the port (2 bytes, big-endian). Length prefixes make
     * the encoding unambiguous.
     *
     * @return a new array holding this backend's identity.
     */
    public byte[] identity()
    {
        final byte[] nameBytes = name.getBytes(StandardCharsets.UTF_8);
        if (nameBytes.length > 0xFFFF)
        {
            throw new IllegalStateException("backend name too long");
        }
        final byte[] addressBytes = address.getAddress();
        final ByteBuffer out = ByteBuffer.allocate(2 + nameBytes.length + 1 + addressBytes.length + 2);
        out.putShort((short)nameBytes.length).put(nameBytes);
        out.put((byte)addressBytes.length).put(addressBytes);
        out.putShort((short)port);
        return out.array();
    }
}
