package io.flyover.optimizer.sim;

import io.flyover.optimizer.path.Route;

import java.util.ArrayList;
import java.util.List;

/**
 * The true network of a simulation: every link's RTT, loss and liveness as a pure function of
 * (seed, link, time), so any moment can be asked in any order. The optimizer never reads it; only
 * the simulated probe transport and the flow accounting do.
 * <p>
 * Link RTT = base × (1 + slow + fast) + congestion: slow noise is value noise, uniform in
 * ±{@value #SLOW_AMPLITUDE} with knots every 10 s, linearly interpolated; fast noise is exponential
 * with mean {@value #FAST_MEAN} of base, drawn anew every 100 ms (queueing only adds delay).
 * Episodes (congestion, loss, down) come from the scenario.
 */
public final class SimNetwork
{
    /** Slow noise amplitude, a fraction of base. */
    public static final double SLOW_AMPLITUDE = 0.03;
    /** Mean of the fast noise, a fraction of base. */
    public static final double FAST_MEAN = 0.02;
    /** Effective RTT of time spent on a dead path, and the delay one loss adds (ms). */
    public static final double DEAD_MS = 1000.0;
    static final long SLOW_KNOT_NS = 10_000_000_000L;
    static final long FAST_CELL_NS = 100_000_000L;

    /** One scenario episode on a link. */
    record Episode(int a, int b, long startNs, long endNs, double extraMs, double loss, boolean down)
    {
        boolean activeAt(final long nowNs)
        {
            return nowNs >= startNs && nowNs < endNs;
        }
    }

    private final SimMatrix matrix;
    private final long seed;
    private final List<List<Episode>> episodesByLink = new ArrayList<>();
    private final List<Episode> episodes = new ArrayList<>();

    SimNetwork(final SimMatrix matrix, final long seed)
    {
        this.matrix = matrix;
        this.seed = seed;
        final int keys = (matrix.size() + 1) * (matrix.size() + 1);
        for (int i = 0; i < keys; i++)
        {
            episodesByLink.add(null);
        }
    }

    void add(final Episode episode)
    {
        episodes.add(episode);
        final int key = linkKey(episode.a(), episode.b());
        if (episodesByLink.get(key) == null)
        {
            episodesByLink.set(key, new ArrayList<>());
        }
        episodesByLink.get(key).add(episode);
    }

    List<Episode> episodes()
    {
        return episodes;
    }

    SimMatrix matrix()
    {
        return matrix;
    }

    private int linkKey(final int a, final int b)
    {
        final int lo = Math.min(a, b);
        final int hi = Math.max(a, b);
        return lo * (matrix.size() + 1) + hi;
    }

    /**
     * @return true if the link exists and is up at that time.
     */
    boolean linkUp(final int a, final int b, final long nowNs)
    {
        if (!matrix.hasLink(a, b))
        {
            return false;
        }
        final List<Episode> list = episodesByLink.get(linkKey(a, b));
        if (list != null)
        {
            for (final Episode e : list)
            {
                if (e.down() && e.activeAt(nowNs))
                {
                    return false;
                }
            }
        }
        return true;
    }

    /**
     * @return true RTT of an existing link in ms.
     */
    double linkRttMs(final int a, final int b, final long nowNs)
    {
        final double base = matrix.rttMs(a, b);
        final int key = linkKey(a, b);
        final long knot = Math.floorDiv(nowNs, SLOW_KNOT_NS);
        final double frac = (nowNs - knot * SLOW_KNOT_NS) / (double)SLOW_KNOT_NS;
        final double u0 = uniform(key, knot, 1) * 2 - 1;
        final double u1 = uniform(key, knot + 1, 1) * 2 - 1;
        final double slow = SLOW_AMPLITUDE * (u0 + (u1 - u0) * frac);
        final double fast = -Math.log(1.0 - uniform(key, Math.floorDiv(nowNs, FAST_CELL_NS), 2)) * FAST_MEAN;
        double rtt = base * (1.0 + slow + fast);
        final List<Episode> list = episodesByLink.get(key);
        if (list != null)
        {
            for (final Episode e : list)
            {
                if (e.activeAt(nowNs))
                {
                    rtt += e.extraMs();
                }
            }
        }
        return rtt;
    }

    /**
     * @return round-trip loss probability of an existing link.
     */
    double linkLoss(final int a, final int b, final long nowNs)
    {
        final List<Episode> list = episodesByLink.get(linkKey(a, b));
        double pass = 1.0;
        if (list != null)
        {
            for (final Episode e : list)
            {
                if (e.activeAt(nowNs))
                {
                    pass *= 1.0 - e.loss();
                }
            }
        }
        return 1.0 - pass;
    }

    /**
     * @return true if every link of the route exists and is up.
     */
    boolean routeUp(final long route, final long nowNs)
    {
        for (int i = 0, n = Route.length(route) - 1; i < n; i++)
        {
            if (!linkUp(Route.pop(route, i), Route.pop(route, i + 1), nowNs))
            {
                return false;
            }
        }
        return true;
    }

    /**
     * @return true RTT of a live route: the sum of its links, ms.
     */
    double routeRttMs(final long route, final long nowNs)
    {
        double sum = 0;
        for (int i = 0, n = Route.length(route) - 1; i < n; i++)
        {
            sum += linkRttMs(Route.pop(route, i), Route.pop(route, i + 1), nowNs);
        }
        return sum;
    }

    /**
     * @return round-trip loss probability of a live route.
     */
    double routeLoss(final long route, final long nowNs)
    {
        double pass = 1.0;
        for (int i = 0, n = Route.length(route) - 1; i < n; i++)
        {
            pass *= 1.0 - linkLoss(Route.pop(route, i), Route.pop(route, i + 1), nowNs);
        }
        return 1.0 - pass;
    }

    /**
     * What a flow on this route experiences at that time: RTT + {@value #DEAD_MS} ms × loss
     * (a lost packet waits about one minimum RTO), or {@value #DEAD_MS} ms if the route is dead.
     *
     * @return effective RTT in ms.
     */
    double effectiveMs(final long route, final long nowNs)
    {
        if (!routeUp(route, nowNs))
        {
            return DEAD_MS;
        }
        return routeRttMs(route, nowNs) + DEAD_MS * routeLoss(route, nowNs);
    }

    /**
     * Time-weighted mean of {@link #effectiveMs} over [fromNs, toNs), sampled at the middle of
     * each overlap with the 100 ms grid.
     *
     * @return integral in ms × ns.
     */
    double integrate(final long route, final long fromNs, final long toNs)
    {
        double sum = 0;
        long t = fromNs;
        while (t < toNs)
        {
            final long cellEnd = (Math.floorDiv(t, FAST_CELL_NS) + 1) * FAST_CELL_NS;
            final long end = Math.min(cellEnd, toNs);
            sum += effectiveMs(route, t + (end - t) / 2) * (end - t);
            t = end;
        }
        return sum;
    }

    private double uniform(final int key, final long cell, final int salt)
    {
        long z = seed * 0x9E3779B97F4A7C15L + key * 0xBF58476D1CE4E5B9L + cell * 0x94D049BB133111EBL + salt;
        z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
        z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
        z = z ^ (z >>> 31);
        return (z >>> 11) * 0x1.0p-53;
    }
}
