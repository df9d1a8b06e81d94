package io.flyover.dataplane.protocol;

/**
 * A Flyover route packed in one {@code long}, exactly as its four 16-bit slots sit on the wire in
 * the Flyover option read big-endian: {@code ingress << 48 | hop1 << 32 | hop2 << 16 | hop3}.
 * <p>
 * Slot 0 is the ingress POP, slots 1..3 are Hop 1..3. POP id 0 means "unused". A valid route has a
 * non-zero ingress POP and Hop 1, and no used hop after an unused one; its last used slot is the
 * egress POP. So a route has 2, 3 or 4 used slots: direct (ingress, egress), or via one or two
 * relay POPs. The return path walks the same route backwards (the route is never rewritten).
 * <p>
 * A packed route is a plain value: path tables can store it as a {@code long}. Stateless; any
 * thread.
 */
public final class FlyoverRoute
{
    /** Number of slots: ingress POP and three hops. */
    public static final int SLOTS = 4;
    /** POP id meaning "unused slot". */
    public static final int UNUSED = 0;
    /** Largest POP id (16 bits). */
    public static final int MAX_POP_ID = 0xFFFF;
    /** {@link #lastSlot(long)} of an invalid route. */
    public static final int INVALID = -1;

    private FlyoverRoute()
    {
    }

    /**
     * @param ingressPop slot 0, non-zero for a valid route.
     * @param hop1       slot 1, non-zero for a valid route.
     * @param hop2       slot 2 or {@link #UNUSED}.
     * @param hop3       slot 3 or {@link #UNUSED}.
     * @return the packed route.
     */
    public static long pack(final int ingressPop, final int hop1, final int hop2, final int hop3)
    {
        return ((long)(ingressPop & 0xFFFF) << 48) | ((long)(hop1 & 0xFFFF) << 32) |
            ((long)(hop2 & 0xFFFF) << 16) | (hop3 & 0xFFFF);
    }

    /**
     * @param route a packed route.
     * @param slot  0 (ingress POP) .. 3 (Hop 3).
     * @return the POP id in that slot, {@link #UNUSED} if none.
     */
    public static int pop(final long route, final int slot)
    {
        return (int)(route >>> (48 - (slot << 4))) & 0xFFFF;
    }

    /**
     * @param route a packed route.
     * @return the ingress POP.
     */
    public static int ingressPop(final long route)
    {
        return (int)(route >>> 48) & 0xFFFF;
    }

    /**
     * @param route a packed route.
     * @return the slot of the egress POP (1, 2 or 3), or {@link #INVALID} if the route is malformed
     * (ingress POP or Hop 1 unused, or a used hop after an unused one).
     */
    public static int lastSlot(final long route)
    {
        final int ingress = (int)(route >>> 48) & 0xFFFF;
        final int hop1 = (int)(route >>> 32) & 0xFFFF;
        final int hop2 = (int)(route >>> 16) & 0xFFFF;
        final int hop3 = (int)route & 0xFFFF;
        if (UNUSED == ingress || UNUSED == hop1)
        {
            return INVALID;
        }
        if (UNUSED == hop2)
        {
            return UNUSED == hop3 ? 1 : INVALID;
        }
        return UNUSED == hop3 ? 2 : 3;
    }

    /**
     * @param route a packed route.
     * @return the egress POP (the last used slot), or {@link #UNUSED} if the route is malformed.
     */
    public static int egressPop(final long route)
    {
        final int last = lastSlot(route);
        return INVALID == last ? UNUSED : pop(route, last);
    }

    /**
     * Whether a hop index is consistent with a route and direction. Forward packets (D = 0) head to
     * slots 1..last; return packets (D = 1) head to slots last-1 .. 0.
     *
     * @param route         a packed route.
     * @param returnPath    the D bit.
     * @param hopIndex      the slot the packet heads to.
     * @return true if the route is valid and the hop index lies on it in that direction.
     */
    public static boolean isValidHopIndex(final long route, final boolean returnPath, final int hopIndex)
    {
        final int last = lastSlot(route);
        if (INVALID == last)
        {
            return false;
        }
        return returnPath ? hopIndex >= 0 && hopIndex < last : hopIndex >= 1 && hopIndex <= last;
    }

    /**
     * @param route      a packed route.
     * @param returnPath the D bit.
     * @return the hop index a packet starts with: 1 leaving the ingress POP, last-1 leaving the
     * egress POP on the way back; {@link #INVALID} for a malformed route.
     */
    public static int firstHopIndex(final long route, final boolean returnPath)
    {
        final int last = lastSlot(route);
        if (INVALID == last)
        {
            return INVALID;
        }
        return returnPath ? last - 1 : 1;
    }
}
