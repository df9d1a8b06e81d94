package io.flyover.dataplane.table;

import io.flyover.dataplane.protocol.FlyoverRoute;

/**
 * A path through the backbone as the wire format carries it: the ingress POP, then up to three
 * hops, the last used one being the egress POP (so at most 4 POPs). POP ids are 16-bit and
 * non-zero; 0 marks an unused hop, and unused hops come last. A route of length 1 (ingress is
 * egress) serves clients whose nearest POP is the service's region. The return path is the same
 * route read backwards. Immutable.
 * <p>
 * {@link #packed()} gives the 64-bit form stored in flow entries and carried by path tables:
 * {@code ingress << 48 | hop1 << 32 | hop2 << 16 | hop3}; the static accessors read it without
 * allocating.
 *
 * @param ingressPop the POP where the client's packets enter.
 * @param hop1       first hop, or 0.
 * @param hop2       second hop, or 0.
 * @param hop3       third hop, or 0.
 */
public record Route(int ingressPop, int hop1, int hop2, int hop3)
{
    /** Most POPs on a route, ingress and egress included. */
    public static final int MAX_POPS = 4;

    /** Largest POP id. */
    public static final int MAX_POP_ID = 0xFFFF;

    /** An unused hop. */
    public static final int NO_POP = 0;

    /**
     * Validates: POP ids in range, no gaps, no POP twice.
     */
    public Route
    {
        if (ingressPop < 1 || ingressPop > MAX_POP_ID)
        {
            throw new IllegalArgumentException("ingress POP id out of range 1.." + MAX_POP_ID + ": " + ingressPop);
        }
        final int[] hops = {hop1, hop2, hop3};
        boolean ended = false;
        for (int i = 0; i < hops.length; i++)
        {
            final int hop = hops[i];
            if (hop < 0 || hop > MAX_POP_ID)
            {
                throw new IllegalArgumentException("hop out of range: " + hop);
            }
            if (NO_POP == hop)
            {
                ended = true;
                continue;
            }
            if (ended)
            {
                throw new IllegalArgumentException("route has a gap before hop " + (i + 1));
            }
            if (hop == ingressPop)
            {
                throw new IllegalArgumentException("route visits POP " + hop + " twice");
            }
            for (int j = 0; j < i; j++)
            {
                if (hops[j] == hop)
                {
                    throw new IllegalArgumentException("route visits POP " + hop + " twice");
                }
            }
        }
    }

    /**
     * @param pops 1 to 4 POP ids, ingress first, egress last.
     * @return the route.
     */
    public static Route of(final int... pops)
    {
        if (pops.length < 1 || pops.length > MAX_POPS)
        {
            throw new IllegalArgumentException("a route has 1 to 4 POPs: " + pops.length);
        }
        return new Route(
            pops[0],
            pops.length > 1 ? pops[1] : NO_POP,
            pops.length > 2 ? pops[2] : NO_POP,
            pops.length > 3 ? pops[3] : NO_POP);
    }

    /**
     * @return number of POPs on the route, 1..4.
     */
    public int length()
    {
        return NO_POP == hop1 ? 1 : NO_POP == hop2 ? 2 : NO_POP == hop3 ? 3 : 4;
    }

    /**
     * @param index 0 for the ingress POP, 1..3 for hops.
     * @return that POP's id, or {@link #NO_POP}.
     */
    public int pop(final int index)
    {
        return switch (index)
        {
            case 0 -> ingressPop;
            case 1 -> hop1;
            case 2 -> hop2;
            case 3 -> hop3;
            default -> throw new IndexOutOfBoundsException(index);
        };
    }

    /**
     * @return the last POP: the egress POP.
     */
    public int egressPop()
    {
        return pop(length() - 1);
    }

    /**
     * @return {@code ingress << 48 | hop1 << 32 | hop2 << 16 | hop3}.
     */
    public long packed()
    {
        return FlyoverRoute.pack(ingressPop, hop1, hop2, hop3);
    }

    /**
     * @param packed a packed route.
     * @return the route (allocates; control plane and tests).
     */
    public static Route unpack(final long packed)
    {
        return new Route(pop(packed, 0), pop(packed, 1), pop(packed, 2), pop(packed, 3));
    }

    /**
     * @param packed a packed route.
     * @param index  0 for the ingress POP, 1..3 for hops.
     * @return that POP's id, or {@link #NO_POP}.
     */
    public static int pop(final long packed, final int index)
    {
        return FlyoverRoute.pop(packed, index);
    }

    /**
     * @param packed a packed route.
     * @return number of POPs on it.
     */
    public static int length(final long packed)
    {
        return 0 == (packed & 0x0000_FFFF_0000_0000L) ? 1 : 0 == (packed & 0xFFFF_0000L) ? 2 : 0 == (packed & 0xFFFFL) ? 3 : 4;
    }

    /**
     * @param packed a packed route.
     * @return its egress POP.
     */
    public static int egressPop(final long packed)
    {
        return pop(packed, length(packed) - 1);
    }

    /**
     * {@inheritDoc}
     */
    @Override
    public String toString()
    {
        final StringBuilder sb = new StringBuilder("Route[").append(ingressPop);
        for (int i = 1; i < length(); i++)
        {
            sb.append(" > ").append(pop(i));
        }
        return sb.append(']').toString();
    }
}
