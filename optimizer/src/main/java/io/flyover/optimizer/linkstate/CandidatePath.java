package io.flyover.optimizer.linkstate;

import io.flyover.optimizer.path.Route;

/**
 * One candidate path and its estimated cost from link state. Immutable.
 *
 * @param route  packed route, see {@link Route}.
 * @param costNs estimated cost in nanoseconds (link costs plus the relay penalty).
 */
public record CandidatePath(long route, double costNs)
{
    /**
     * @return the route's POP ids, ingress first.
     */
    public int[] pops()
    {
        return Route.toArray(route);
    }

    /**
     * @return links crossed: 1 direct, 2 or 3 through relays.
     */
    public int hops()
    {
        return Route.hops(route);
    }

    @Override
    public String toString()
    {
        return Route.toString(route) + "@" + (costNs / 1e6) + "ms";
    }
}
