package io.flyover.dataplane.table;

import java.net.InetSocketAddress;
import java.util.Objects;

/**
 * A POP as the forwarding tables know it: its id (as in routes and the wire format), name, the
 * underlay address and port its gateway receives backbone traffic on, and the keys valid on links
 * with it. The local POP is one of them; the others are its peers. Immutable; the data plane
 * reads the precomputed address words, never the {@link InetSocketAddress}.
 */
public final class Pop
{
    private final int id;
    private final String name;
    private final InetSocketAddress underlay;
    private final KeyRing keys;
    private final boolean underlayIpv6;
    private final long underlayHigh;
    private final long underlayLow;

    /**
     * @param id       POP id, {@code 1..65535}.
     * @param name     operator's name.
     * @param underlay resolved underlay address and port.
     * @param keys     backbone keys for links with this POP.
     */
    public Pop(final int id, final String name, final InetSocketAddress underlay, final KeyRing keys)
    {
        if (id < 1 || id > Route.MAX_POP_ID)
        {
            throw new IllegalArgumentException("POP id out of range 1.." + Route.MAX_POP_ID + ": " + id);
        }
        if (underlay.isUnresolved())
        {
            throw new IllegalArgumentException("underlay address must be resolved: " + underlay);
        }
        this.id = id;
        this.name = Objects.requireNonNull(name, "name");
        this.underlay = underlay;
        this.keys = Objects.requireNonNull(keys, "keys");
        this.underlayIpv6 = Addresses.isIpv6(underlay.getAddress());
        this.underlayHigh = Addresses.high(underlay.getAddress());
        this.underlayLow = Addresses.low(underlay.getAddress());
    }

    /**
     * @return the POP id.
     */
    public int id()
    {
        return id;
    }

    /**
     * @return the name.
     */
    public String name()
    {
        return name;
    }

    /**
     * @return the underlay address and port.
     */
    public InetSocketAddress underlay()
    {
        return underlay;
    }

    /**
     * @return whether the underlay address is IPv6.
     */
    public boolean underlayIpv6()
    {
        return underlayIpv6;
    }

    /**
     * @return the underlay address's high 64 bits (0 for IPv4).
     */
    public long underlayHigh()
    {
        return underlayHigh;
    }

    /**
     * @return the underlay address's low 64 bits (IPv4: the address, zero-extended).
     */
    public long underlayLow()
    {
        return underlayLow;
    }

    /**
     * @return the underlay IPv4 address as an int in network order (meaningful if not IPv6).
     */
    public int underlayIpv4()
    {
        return (int)underlayLow;
    }

    /**
     * @return the underlay port.
     */
    public int underlayPort()
    {
        return underlay.getPort();
    }

    /**
     * @return the keys valid on links with this POP.
     */
    public KeyRing keys()
    {
        return keys;
    }

    /**
     * {@inheritDoc}
     */
    @Override
    public String toString()
    {
        return "Pop[" + id + " " + name + " " + underlay + " " + keys + "]";
    }
}
