package io.flyover.dataplane.table;

import java.util.Objects;

/**
 * A route and its share of new flows in a path table. Weight 0 gives it no buckets (no new
 * flows); flows already pinned to it keep it, since flow entries store the route itself.
 *
 * @param route  the route.
 * @param weight relative share, {@code 0..MAX_WEIGHT}.
 */
public record WeightedRoute(Route route, int weight)
{
    /** Largest weight. */
    public static final int MAX_WEIGHT = 1 << 20;

    /**
     * Validates.
     */
    public WeightedRoute
    {
        Objects.requireNonNull(route, "route");
        if (weight < 0 || weight > MAX_WEIGHT)
        {
            throw new IllegalArgumentException("route weight out of range 0.." + MAX_WEIGHT + ": " + weight);
        }
    }
}
