package io.flyover.optimizer.path;

/**
 * A route packed into one {@code long}: up to four 16-bit POP ids in wire order (ingress, hop 1,
 * hop 2, hop 3), ingress in the most significant bits, unused hops 0. The last used hop is the
 * egress POP, as in the Flyover Geneve option. Packing lets routes be map keys and array
 * elements without allocation.
 * <pre>
 *  63        48 47        32 31        16 15         0
 * +------------+------------+------------+------------+
 * |  ingress   |   hop 1    |   hop 2    |   hop 3    |
 * +------------+------------+------------+------------+
 * </pre>
 * A valid route has 2 to 4 POPs, each in 1..65535, no POP twice, and no gap (a 0 followed by a
 * non-zero hop). Stateless; any thread.
 */
public final class Route
{
    /** Most POPs a route holds: ingress, two relays, egress. */
    public static final int MAX_POPS = 4;

    /** Smallest valid POP id. */
    public static final int MIN_POP = 1;

    /** Largest valid POP id. */
    public static final int MAX_POP = 0xFFFF;

    /** Not a route: returned where no route exists. */
    public static final long NONE = 0L;

    private Route()
    {
    }

    /**
     * @param ingress ingress POP id.
     * @param egress  egress POP id.
     * @return the direct route.
     */
    public static long of(final int ingress, final int egress)
    {
        return ((long)ingress << 48) | ((long)egress << 32);
    }

    /**
     * @param ingress ingress POP id.
     * @param relay   relay POP id.
     * @param egress  egress POP id.
     * @return the route through one relay.
     */
    public static long of(final int ingress, final int relay, final int egress)
    {
        return ((long)ingress << 48) | ((long)relay << 32) | ((long)egress << 16);
    }

    /**
     * @param ingress ingress POP id.
     * @param relay1  first relay POP id.
     * @param relay2  second relay POP id.
     * @param egress  egress POP id.
     * @return the route through two relays.
     */
    public static long of(final int ingress, final int relay1, final int relay2, final int egress)
    {
        return ((long)ingress << 48) | ((long)relay1 << 32) | ((long)relay2 << 16) | egress;
    }

    /**
     * @param pops   POP ids in route order.
     * @param length how many of them are used, 2..4.
     * @return the packed route, or {@link #NONE} if the POPs do not form a valid route.
     */
    public static long pack(final int[] pops, final int length)
    {
        if (length < 2 || length > MAX_POPS || length > pops.length)
        {
            return NONE;
        }
        long route = 0;
        for (int i = 0; i < length; i++)
        {
            final int pop = pops[i];
            if (pop < MIN_POP || pop > MAX_POP)
            {
                return NONE;
            }
            route |= (long)pop << (48 - 16 * i);
        }
        return isValid(route) ? route : NONE;
    }

    /**
     * @param route a packed route.
     * @param index position 0..3.
     * @return the POP id at that position, 0 if unused.
     */
    public static int pop(final long route, final int index)
    {
        return (int)(route >>> (48 - 16 * index)) & 0xFFFF;
    }

    /**
     * @param route a packed route.
     * @return how many POPs it holds (0 for {@link #NONE}).
     */
    public static int length(final long route)
    {
        int length = 0;
        while (length < MAX_POPS && pop(route, length) != 0)
        {
            length++;
        }
        return length;
    }

    /**
     * @param route a packed route.
     * @return how many links it crosses: 1 direct, 2 or 3 through relays.
     */
    public static int hops(final long route)
    {
        return length(route) - 1;
    }

    /**
     * @param route a packed route.
     * @return the ingress POP id.
     */
    public static int ingress(final long route)
    {
        return pop(route, 0);
    }

    /**
     * @param route a packed route.
     * @return the egress POP id (the last used hop).
     */
    public static int egress(final long route)
    {
        return pop(route, length(route) - 1);
    }

    /**
     * @param route a packed route.
     * @return true if it has 2..4 POPs in 1..65535, no gap and no repeated POP.
     */
    public static boolean isValid(final long route)
    {
        final int length = length(route);
        if (length < 2)
        {
            return false;
        }
        for (int i = length; i < MAX_POPS; i++)
        {
            if (pop(route, i) != 0)
            {
                return false;
            }
        }
        for (int i = 0; i < length; i++)
        {
            for (int j = i + 1; j < length; j++)
            {
                if (pop(route, i) == pop(route, j))
                {
                    return false;
                }
            }
        }
        return true;
    }

    /**
     * @param route a packed route.
     * @return the same POPs in reverse order: the way back.
     */
    public static long reverse(final long route)
    {
        final int length = length(route);
        long reversed = 0;
        for (int i = 0; i < length; i++)
        {
            reversed |= (long)pop(route, length - 1 - i) << (48 - 16 * i);
        }
        return reversed;
    }

    /**
     * @param route a packed route.
     * @return a new array of its used POP ids, ingress first.
     */
    public static int[] toArray(final long route)
    {
        final int length = length(route);
        final int[] pops = new int[length];
        for (int i = 0; i < length; i++)
        {
            pops[i] = pop(route, i);
        }
        return pops;
    }

    /**
     * @param routes packed routes.
     * @param route  a packed route.
     * @return true if {@code routes} holds it.
     */
    public static boolean contains(final long[] routes, final long route)
    {
        for (final long r : routes)
        {
            if (r == route)
            {
                return true;
            }
        }
        return false;
    }

    /**
     * @param route a packed route.
     * @return the POP ids joined by {@code ">"}, e.g. {@code 1>7>3}.
     */
    public static String toString(final long route)
    {
        final int length = length(route);
        final StringBuilder sb = new StringBuilder(24);
        for (int i = 0; i < length; i++)
        {
            if (i > 0)
            {
                sb.append('>');
            }
            sb.append(pop(route, i));
        }
        return sb.toString();
    }
}
