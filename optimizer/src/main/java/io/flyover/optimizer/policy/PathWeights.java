package io.flyover.optimizer.policy;

import io.flyover.optimizer.path.Route;

import java.util.Arrays;

/**
 * The policy's output for one destination: candidate routes, the share of new flows each should
 * get (summing to 1 when any route is usable; dead routes get 0), and which of them are up. The
 * data plane turns it into a consistent bucket table; a route that is up keeps the flows pinned to
 * it even with no share of the new ones. Immutable; safe to publish to any thread.
 */
public final class PathWeights
{
    private final int dstPop;
    private final long[] routes;
    private final double[] weights;
    private final boolean[] live;
    private final long preferredRoute;
    private final boolean anyLive;

    /**
     * Weights where exactly the routes with a share are up.
     *
     * @param dstPop         destination POP.
     * @param routes         packed routes (copied).
     * @param weights        weight per route (copied).
     * @param preferredRoute the preferred route, or {@link Route#NONE}.
     * @param anyLive        false if no route is known to be up (weights then fall back to the
     *                       cheapest candidate by link state).
     */
    public PathWeights(
        final int dstPop, final long[] routes, final double[] weights, final long preferredRoute, final boolean anyLive)
    {
        this(dstPop, routes, weights, positive(weights), preferredRoute, anyLive);
    }

    /**
     * @param dstPop         destination POP.
     * @param routes         packed routes (copied).
     * @param weights        weight per route (copied).
     * @param live           per route, true if it is known to be up (copied).
     * @param preferredRoute the preferred route, or {@link Route#NONE}.
     * @param anyLive        false if no route is known to be up (weights then fall back to the
     *                       cheapest candidate by link state).
     */
    public PathWeights(
        final int dstPop, final long[] routes, final double[] weights, final boolean[] live, final long preferredRoute,
        final boolean anyLive)
    {
        if (routes.length != weights.length || routes.length != live.length)
        {
            throw new IllegalArgumentException("routes, weights and liveness differ in length");
        }
        this.dstPop = dstPop;
        this.routes = routes.clone();
        this.weights = weights.clone();
        this.live = live.clone();
        this.preferredRoute = preferredRoute;
        this.anyLive = anyLive;
    }

    private static boolean[] positive(final double[] weights)
    {
        final boolean[] positive = new boolean[weights.length];
        for (int i = 0; i < weights.length; i++)
        {
            positive[i] = weights[i] > 0;
        }
        return positive;
    }

    /**
     * @param dstPop destination POP.
     * @return weights with no route.
     */
    public static PathWeights empty(final int dstPop)
    {
        return new PathWeights(dstPop, new long[0], new double[0], new boolean[0], Route.NONE, false);
    }

    /**
     * @return destination POP.
     */
    public int dstPop()
    {
        return dstPop;
    }

    /**
     * @return routes held.
     */
    public int size()
    {
        return routes.length;
    }

    /**
     * @param index 0..size − 1.
     * @return packed route.
     */
    public long route(final int index)
    {
        return routes[index];
    }

    /**
     * @param index 0..size − 1.
     * @return the route's POP ids, ingress first (a new array).
     */
    public int[] pops(final int index)
    {
        return Route.toArray(routes[index]);
    }

    /**
     * @param index 0..size − 1.
     * @return share of new flows, 0..1.
     */
    public double weight(final int index)
    {
        return weights[index];
    }

    /**
     * @param index 0..size − 1.
     * @return true if the route is known to be up: flows pinned to it may stay, whatever its share.
     */
    public boolean isLive(final int index)
    {
        return live[index];
    }

    /**
     * @param route packed route.
     * @return its index, −1 if absent.
     */
    public int indexOf(final long route)
    {
        for (int i = 0; i < routes.length; i++)
        {
            if (routes[i] == route)
            {
                return i;
            }
        }
        return -1;
    }

    /**
     * @param route packed route.
     * @return its weight, 0 if absent.
     */
    public double weightOf(final long route)
    {
        final int i = indexOf(route);
        return i < 0 ? 0.0 : weights[i];
    }

    /**
     * @return the preferred route, or {@link Route#NONE}.
     */
    public long preferredRoute()
    {
        return preferredRoute;
    }

    /**
     * @return true if at least one route is known to be up.
     */
    public boolean anyLive()
    {
        return anyLive;
    }

    /**
     * Integer shares of {@code total} buckets by the largest remainder method; ties go to the
     * lower index, so the result is deterministic. A route with weight > 0 may still get 0 buckets
     * if its share is below one bucket.
     *
     * @param total buckets to share, ≥ 0.
     * @return buckets per route, summing to total when any weight is positive.
     */
    public int[] bucketCounts(final int total)
    {
        final int n = routes.length;
        final int[] counts = new int[n];
        double sum = 0;
        for (final double w : weights)
        {
            sum += w;
        }
        if (sum <= 0 || total <= 0)
        {
            return counts;
        }
        final double[] remainders = new double[n];
        int assigned = 0;
        for (int i = 0; i < n; i++)
        {
            final double exact = weights[i] / sum * total;
            counts[i] = (int)Math.floor(exact);
            remainders[i] = exact - counts[i];
            assigned += counts[i];
        }
        while (assigned < total)
        {
            int best = -1;
            for (int i = 0; i < n; i++)
            {
                if (weights[i] > 0 && (best < 0 || remainders[i] > remainders[best]))
                {
                    best = i;
                }
            }
            counts[best]++;
            remainders[best] = -1;
            assigned++;
        }
        return counts;
    }

    /**
     * @param other weights to compare.
     * @return true if both hold the same routes, weights, preferred route and liveness.
     */
    public boolean sameAs(final PathWeights other)
    {
        return other != null && dstPop == other.dstPop && preferredRoute == other.preferredRoute &&
            anyLive == other.anyLive && Arrays.equals(routes, other.routes) && Arrays.equals(weights, other.weights) &&
            Arrays.equals(live, other.live);
    }

    @Override
    public String toString()
    {
        final StringBuilder sb = new StringBuilder("PathWeights{dst=").append(dstPop);
        for (int i = 0; i < routes.length; i++)
        {
            sb.append(i == 0 ? ", " : " ").append(Route.toString(routes[i])).append('=')
                .append(String.format("%.4f", weights[i])).append(live[i] ? "" : " down");
        }
        return sb.append(anyLive ? "" : ", no live path").append('}').toString();
    }
}
