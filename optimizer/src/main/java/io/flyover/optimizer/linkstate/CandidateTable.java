package io.flyover.optimizer.linkstate;

import org.agrona.collections.Long2ObjectHashMap;

import java.util.Arrays;

/**
 * Candidate paths per (source, destination) POP pair, recomputed from a {@link LinkStateGraph}
 * when its {@link LinkStateGraph#version() version} moved. Routes are packed (see
 * {@code io.flyover.optimizer.path.Route}), best first.
 * <p>
 * Not thread safe: owned by the optimizer thread. The arrays it returns must not be modified.
 */
public final class CandidateTable
{
    private static final long[] NONE = new long[0];

    private final CandidatePathFinder finder;
    private final Long2ObjectHashMap<long[]> routesByPair = new Long2ObjectHashMap<>();
    private final Long2ObjectHashMap<double[]> costsByPair = new Long2ObjectHashMap<>();
    private final CandidateConsumer collector = this::collect;
    private long computedVersion = -1;
    private int computedSource = -1;
    private long recomputes;
    private final long[] pendingRoutes;
    private final double[] pendingCosts;
    private int pendingCount;
    private long pendingKey = -1;

    /**
     * @param finder search to use.
     */
    public CandidateTable(final CandidatePathFinder finder)
    {
        this.finder = finder;
        this.pendingRoutes = new long[finder.k()];
        this.pendingCosts = new double[finder.k()];
    }

    /**
     * Recomputes all pairs if the graph changed since the last computation.
     *
     * @param graph link state.
     * @return true if recomputed.
     */
    public boolean refreshAll(final LinkStateGraph graph)
    {
        if (computedVersion == graph.version() && computedSource == 0)
        {
            return false;
        }
        clear();
        finder.findAll(graph, collector);
        flush();
        computedVersion = graph.version();
        computedSource = 0;
        recomputes++;
        return true;
    }

    /**
     * Recomputes the pairs from one source POP (what one gateway needs) if the graph changed.
     *
     * @param graph  link state.
     * @param srcPop source POP.
     * @return true if recomputed.
     */
    public boolean refreshFrom(final LinkStateGraph graph, final int srcPop)
    {
        if (computedVersion == graph.version() && computedSource == srcPop)
        {
            return false;
        }
        clear();
        finder.findFrom(graph, srcPop, collector);
        flush();
        computedVersion = graph.version();
        computedSource = srcPop;
        recomputes++;
        return true;
    }

    /**
     * @param srcPop source POP.
     * @param dstPop destination POP.
     * @return candidate routes, best first; empty if none.
     */
    public long[] routes(final int srcPop, final int dstPop)
    {
        final long[] routes = routesByPair.get(pairKey(srcPop, dstPop));
        return routes == null ? NONE : routes;
    }

    /**
     * @param srcPop source POP.
     * @param dstPop destination POP.
     * @return estimated costs matching {@link #routes(int, int)}, nanoseconds.
     */
    public double[] costsNs(final int srcPop, final int dstPop)
    {
        final double[] costs = costsByPair.get(pairKey(srcPop, dstPop));
        return costs == null ? new double[0] : costs;
    }

    /**
     * @return pairs with at least one candidate.
     */
    public int pairCount()
    {
        return routesByPair.size();
    }

    /**
     * @return recomputations done.
     */
    public long recomputes()
    {
        return recomputes;
    }

    private void clear()
    {
        routesByPair.clear();
        costsByPair.clear();
    }

    private void collect(final int srcPop, final int dstPop, final int rank, final long route, final double costNs)
    {
        final long key = pairKey(srcPop, dstPop);
        if (key != pendingKey)
        {
            flush();
            pendingKey = key;
        }
        pendingRoutes[pendingCount] = route;
        pendingCosts[pendingCount] = costNs;
        pendingCount++;
    }

    private void flush()
    {
        if (pendingCount > 0)
        {
            routesByPair.put(pendingKey, Arrays.copyOf(pendingRoutes, pendingCount));
            costsByPair.put(pendingKey, Arrays.copyOf(pendingCosts, pendingCount));
        }
        pendingCount = 0;
        pendingKey = -1;
    }

    private static long pairKey(final int srcPop, final int dstPop)
    {
        return ((long)srcPop << 16) | dstPop;
    }
}
