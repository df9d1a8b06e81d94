package io.flyover.optimizer.linkstate;

import io.flyover.optimizer.path.Route;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class CandidatePathFinderTest
{
    private static final long MS = 1_000_000L;

    private static LinkStateGraph graph(final int[][] links)
    {
        final LinkStateGraph graph = new LinkStateGraph();
        for (final int[] link : links)
        {
            graph.onUndirectedLinkState(link[0], link[1], link[2] * 1000, 0, 0);
        }
        return graph;
    }

    @Test
    void shouldRankDirectOneRelayAndTwoRelayPathsByCost()
    {
        // 1-2 direct 100 ms; via 3: 30 + 30; via 4,5: 10 + 10 + 10; via 4 then 2: 10 + 95.
        final LinkStateGraph graph = graph(new int[][]{
            {1, 2, 100}, {1, 3, 30}, {3, 2, 30}, {1, 4, 10}, {4, 5, 10}, {5, 2, 10}, {4, 2, 95}});
        final CandidatePathFinder finder = new CandidatePathFinder(4, 0);

        final List<CandidatePath> paths = finder.find(graph, 1, 2);

        assertEquals(4, paths.size());
        assertEquals(Route.of(1, 4, 5, 2), paths.get(0).route());
        assertEquals(30 * MS, paths.get(0).costNs(), 1e-6);
        assertEquals(Route.of(1, 3, 2), paths.get(1).route());
        assertEquals(60 * MS, paths.get(1).costNs(), 1e-6);
        assertEquals(Route.of(1, 2), paths.get(2).route());
        assertEquals(Route.of(1, 4, 2), paths.get(3).route());
    }

    @Test
    void shouldFindRelayedPathsWhenTheDirectLinkIsMissing()
    {
        final LinkStateGraph graph = graph(new int[][]{{1, 3, 20}, {3, 2, 20}, {1, 4, 5}, {4, 3, 5}});
        final CandidatePathFinder finder = new CandidatePathFinder(3, 0);

        final List<CandidatePath> paths = finder.find(graph, 1, 2);

        assertEquals(2, paths.size());
        assertEquals(Route.of(1, 4, 3, 2), paths.get(0).route());
        assertEquals(30 * MS, paths.get(0).costNs(), 1e-6);
        assertEquals(Route.of(1, 3, 2), paths.get(1).route());
    }

    @Test
    void shouldNotReturnPathsLongerThanThreeLinks()
    {
        final LinkStateGraph graph = graph(new int[][]{{1, 2, 1}, {2, 3, 1}, {3, 4, 1}, {4, 5, 1}});
        final CandidatePathFinder finder = new CandidatePathFinder(4, 0);

        assertEquals(1, finder.find(graph, 1, 4).size());
        assertTrue(finder.find(graph, 1, 5).isEmpty());
    }

    @Test
    void shouldPreferFewerHopsOnEqualCostThroughTheRelayPenalty()
    {
        // Zero-ms links are legal: via 3 costs the same as direct, the relay penalty breaks the tie.
        final LinkStateGraph graph = graph(new int[][]{{1, 2, 10}, {1, 3, 0}, {3, 2, 10}});
        final CandidatePathFinder finder = new CandidatePathFinder(2, 200_000);

        final List<CandidatePath> paths = finder.find(graph, 1, 2);

        assertEquals(Route.of(1, 2), paths.get(0).route());
        assertEquals(Route.of(1, 3, 2), paths.get(1).route());
        assertEquals(10.2 * MS, paths.get(1).costNs(), 1e-3);
    }

    @Test
    void shouldRecomputeWhenALinkDisappears()
    {
        final LinkStateGraph graph = graph(new int[][]{{1, 2, 10}, {1, 3, 4}, {3, 2, 4}});
        final CandidatePathFinder finder = new CandidatePathFinder(2, 0);
        assertEquals(Route.of(1, 3, 2), finder.find(graph, 1, 2).get(0).route());
        final long before = graph.version();

        graph.onLinkState(3, 2, 0, LinkStateSink.LOSS_PPM_DOWN, 1);

        assertTrue(graph.version() != before);
        assertEquals(List.of(new CandidatePath(Route.of(1, 2), 10 * MS)), finder.find(graph, 1, 2));
    }

    @Test
    void shouldAvoidLoopsThroughTheDestination()
    {
        // 1 → 2 → 3 → 2 would be cheap but loops; only loopless paths come back.
        final LinkStateGraph graph = graph(new int[][]{{1, 2, 1}, {2, 3, 1}, {1, 3, 50}});
        final CandidatePathFinder finder = new CandidatePathFinder(4, 0);

        final List<CandidatePath> paths = finder.find(graph, 1, 2);

        assertEquals(List.of(Route.of(1, 2), Route.of(1, 3, 2)), paths.stream().map(CandidatePath::route).toList());
    }

    @Property(tries = 200)
    void shouldMatchExhaustiveEnumerationOnRandomGraphs(
        @ForAll @IntRange(min = 2, max = 9) final int pops,
        @ForAll @IntRange(min = 1, max = 5) final int k,
        @ForAll final long seed,
        @ForAll final boolean diverse)
    {
        assertMatchesExhaustiveEnumeration(pops, k, seed, diverse);
    }

    @Test
    void shouldMatchExhaustiveEnumerationOnSeededRandomGraphs()
    {
        for (long seed = 0; seed < 300; seed++)
        {
            assertMatchesExhaustiveEnumeration(2 + (int)(seed % 9), 1 + (int)(seed % 5), seed, false);
            assertMatchesExhaustiveEnumeration(2 + (int)(seed % 9), 1 + (int)(seed % 5), seed, true);
        }
    }

    @Test
    void shouldKeepALinkDisjointBackupWhenTheCheapestPathsShareTheirFirstLink()
    {
        // from 1 every cheap way to 9 leaves over 1-2; 1-5-9 is dear but shares no link with 1-2-9
        final LinkStateGraph graph = new LinkStateGraph();
        graph.onUndirectedLinkState(1, 2, 5_000, 0, 0);
        graph.onUndirectedLinkState(2, 9, 20_000, 0, 0);
        for (final int relay : new int[]{3, 4, 6})
        {
            graph.onUndirectedLinkState(2, relay, 1_000, 0, 0);
            graph.onUndirectedLinkState(relay, 9, 20_000, 0, 0);
        }
        graph.onUndirectedLinkState(1, 5, 40_000, 0, 0);
        graph.onUndirectedLinkState(5, 9, 40_000, 0, 0);
        graph.onUndirectedLinkState(1, 9, 200_000, 0, 0);

        final List<Long> exact = new CandidatePathFinder(4, 0).find(graph, 1, 9).stream()
            .map(CandidatePath::route).toList();
        final List<Long> diverse = new CandidatePathFinder(4, 0, true).find(graph, 1, 9).stream()
            .map(CandidatePath::route).toList();

        assertEquals(List.of(Route.of(1, 2, 9), Route.of(1, 2, 3, 9), Route.of(1, 2, 4, 9), Route.of(1, 2, 6, 9)), exact);
        assertEquals(List.of(Route.of(1, 2, 9), Route.of(1, 2, 3, 9), Route.of(1, 2, 4, 9), Route.of(1, 5, 9)), diverse);
    }

    @Test
    void shouldKeepALinkDisjointBackupWhenTheCheapestPathsShareTheirLastLink()
    {
        // every cheap way into 9 arrives over 8-9; the backup 1-5-9 avoids it
        final LinkStateGraph graph = new LinkStateGraph();
        graph.onUndirectedLinkState(8, 9, 5_000, 0, 0);
        for (final int relay : new int[]{2, 3, 4})
        {
            graph.onUndirectedLinkState(1, relay, 10_000 + relay, 0, 0);
            graph.onUndirectedLinkState(relay, 8, 10_000, 0, 0);
        }
        graph.onUndirectedLinkState(1, 8, 21_000, 0, 0);
        graph.onUndirectedLinkState(1, 5, 40_000, 0, 0);
        graph.onUndirectedLinkState(5, 9, 40_000, 0, 0);

        final List<Long> diverse = new CandidatePathFinder(4, 0, true).find(graph, 1, 9).stream()
            .map(CandidatePath::route).toList();

        assertEquals(List.of(Route.of(1, 2, 8, 9), Route.of(1, 3, 8, 9), Route.of(1, 4, 8, 9), Route.of(1, 5, 9)), diverse);
    }

    private static void assertMatchesExhaustiveEnumeration(final int pops, final int k, final long seed, final boolean diverse)
    {
        final SplittableRandom random = new SplittableRandom(seed);
        final LinkStateGraph graph = new LinkStateGraph();
        for (int a = 1; a <= pops; a++)
        {
            graph.addPop(a * 7);
            for (int b = 1; b <= pops; b++)
            {
                if (a != b && random.nextInt(100) < 60)
                {
                    graph.onLinkState(a * 7, b * 7, random.nextInt(20) * 1000, random.nextInt(3) * 10_000, 0);
                }
            }
        }
        final long relayPenaltyNs = random.nextBoolean() ? 0 : 200_000;
        final CandidatePathFinder finder = new CandidatePathFinder(k, relayPenaltyNs, diverse);

        for (int s = 1; s <= pops; s++)
        {
            for (int t = 1; t <= pops; t++)
            {
                if (s != t)
                {
                    final List<CandidatePath> expected = exhaustive(graph, s * 7, t * 7, pops, k, relayPenaltyNs, diverse);
                    final List<CandidatePath> actual = finder.find(graph, s * 7, t * 7);
                    assertEquals(expected.size(), actual.size());
                    for (int i = 0; i < expected.size(); i++)
                    {
                        assertEquals(expected.get(i).costNs(), actual.get(i).costNs(), 1e-6);
                        assertEquals(Route.toString(expected.get(i).route()), Route.toString(actual.get(i).route()));
                    }
                }
            }
        }
    }

    /**
     * Test oracle: every relay and relay pair, sorted by (cost, hops, relay ids); the first k, and
     * when diverse and none of them after the first shares no link with it, the first path that
     * does takes the k-th place.
     */
    private static List<CandidatePath> exhaustive(final LinkStateGraph graph, final int s, final int t, final int pops,
        final int k, final long relayPenaltyNs, final boolean diverse)
    {
        final List<CandidatePath> all = new ArrayList<>();
        add(all, graph, Route.of(s, t), 0);
        for (int a = 1; a <= pops; a++)
        {
            final int pa = a * 7;
            if (pa == s || pa == t)
            {
                continue;
            }
            add(all, graph, Route.of(s, pa, t), relayPenaltyNs);
            for (int b = 1; b <= pops; b++)
            {
                final int pb = b * 7;
                if (pb != s && pb != t && pb != pa)
                {
                    add(all, graph, Route.of(s, pa, pb, t), 2 * relayPenaltyNs);
                }
            }
        }
        all.sort(Comparator.comparingDouble(CandidatePath::costNs)
            .thenComparingInt(CandidatePath::hops)
            .thenComparingInt(p -> Route.pop(p.route(), 1 == p.hops() ? 3 : 1))
            .thenComparingInt(p -> 3 == p.hops() ? Route.pop(p.route(), 2) : 0));
        final List<CandidatePath> kept = new ArrayList<>(all.subList(0, Math.min(k, all.size())));
        if (diverse && k >= 2 && kept.size() == k &&
            kept.stream().skip(1).noneMatch(p -> disjoint(p.route(), kept.get(0).route())))
        {
            all.stream().skip(k).filter(p -> disjoint(p.route(), kept.get(0).route())).findFirst()
                .ifPresent(p -> kept.set(k - 1, p));
        }
        return kept;
    }

    private static boolean disjoint(final long route, final long other)
    {
        final int[] x = Route.toArray(route);
        final int[] y = Route.toArray(other);
        for (int i = 0; i + 1 < x.length; i++)
        {
            for (int j = 0; j + 1 < y.length; j++)
            {
                if (Math.min(x[i], x[i + 1]) == Math.min(y[j], y[j + 1]) && Math.max(x[i], x[i + 1]) == Math.max(y[j], y[j + 1]))
                {
                    return false;
                }
            }
        }
        return true;
    }

    private static void add(final List<CandidatePath> all, final LinkStateGraph graph, final long route, final long penalty)
    {
        final double cost = graph.routeCostNs(route);
        if (!Double.isNaN(cost))
        {
            all.add(new CandidatePath(route, cost + penalty));
        }
    }
}
