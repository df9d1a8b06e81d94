package io.flyover.optimizer.linkstate;

import io.flyover.optimizer.path.Route;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class CandidateTableTest
{
    @Test
    void shouldRecomputeOnlyWhenTheGraphChangedMaterially()
    {
        final LinkStateGraph graph = new LinkStateGraph();
        graph.onUndirectedLinkState(1, 2, 10_000, 0, 0);
        graph.onUndirectedLinkState(1, 3, 3_000, 0, 0);
        graph.onUndirectedLinkState(3, 2, 3_000, 0, 0);
        final CandidateTable table = new CandidateTable(new CandidatePathFinder());

        assertTrue(table.refreshAll(graph));
        assertFalse(table.refreshAll(graph));
        assertEquals(Route.of(1, 3, 2), table.routes(1, 2)[0]);

        graph.onLinkState(1, 3, 3_100, 0, 1);
        assertFalse(table.refreshAll(graph), "0.1 ms is below the change threshold");

        graph.onLinkState(1, 3, 9_000, 0, 2);
        assertTrue(table.refreshAll(graph));
        assertEquals(Route.of(1, 2), table.routes(1, 2)[0]);
        assertEquals(2, table.recomputes());
    }

    @Test
    void shouldFindCandidatesForEveryPairOfTheWonderProxyMatrix() throws Exception
    {
        final Path csv = LatencyMatrix.wonderproxy100();
        Assumptions.assumeTrue(csv != null, "latency matrix not present");
        final LinkStateGraph graph = LatencyMatrix.load(csv);
        final CandidateTable table = new CandidateTable(new CandidatePathFinder(4, 0));

        table.refreshAll(graph);

        assertEquals(100, graph.popCount());
        assertEquals(100 * 99, table.pairCount());
        int relayWins = 0;
        for (int s = 1; s <= 100; s++)
        {
            for (int t = 1; t <= 100; t++)
            {
                if (s == t)
                {
                    continue;
                }
                final long[] routes = table.routes(s, t);
                final double[] costs = table.costsNs(s, t);
                assertEquals(4, routes.length);
                final double direct = graph.costNs(s, t);
                assertTrue(costs[0] <= direct);
                for (int r = 1; r < costs.length; r++)
                {
                    assertTrue(costs[r - 1] <= costs[r]);
                }
                if (costs[0] < 0.9 * direct)
                {
                    relayWins++;
                }
            }
        }
        // The matrix's README: about 29% of pairs have a one-relay path ≥ 10% shorter; two relays can only add.
        assertTrue(relayWins >= 0.29 * 9_900 * 0.9, "relay wins " + relayWins);
    }
}
