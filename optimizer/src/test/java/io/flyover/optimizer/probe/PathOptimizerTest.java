package io.flyover.optimizer.probe;

import io.flyover.optimizer.PathOptimizer;
import io.flyover.optimizer.linkstate.CandidatePathFinder;
import io.flyover.optimizer.path.Route;
import io.flyover.optimizer.policy.PathWeights;
import io.flyover.optimizer.policy.PolicyConfig;
import org.junit.jupiter.api.Test;

import java.util.HashMap;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class PathOptimizerTest
{
    private static final long MS = 1_000_000L;
    private static final int[] POPS = {1, 2, 3, 9};

    @Test
    void shouldLearnLinksFromPeersPreferARelayAndFailOverWhenItsLinkIsCut()
    {
        final LoopbackNetwork network = new LoopbackNetwork();
        network.setLinkRtt(1, 9, 100 * MS);
        network.setLinkRtt(1, 2, 20 * MS);
        network.setLinkRtt(2, 9, 30 * MS);
        network.setLinkRtt(1, 3, 40 * MS);
        network.setLinkRtt(3, 9, 50 * MS);
        network.setLinkRtt(2, 3, 10 * MS);
        final Map<Integer, PathWeights> published = new HashMap<>();
        final Map<Integer, Long> publishedAtNs = new HashMap<>();
        final Map<Integer, PathOptimizer> optimizers = optimizers(network, POPS, published, publishedAtNs);

        network.runUntil(30_000 * MS);

        final PathOptimizer pop1 = optimizers.get(1);
        assertEquals(30_000, pop1.graph().rttUs(2, 9), 10);
        assertEquals(Route.of(1, 2, 9), pop1.policy(9).preferredRoute());
        assertEquals(Route.of(1, 2, 9), published.get(9).preferredRoute());

        final long cutNs = cut(network, 2, 9);

        final PathWeights weights = published.get(9);
        assertNotEquals(Route.of(1, 2, 9), weights.preferredRoute());
        assertEquals(0.0, weights.weightOf(Route.of(1, 2, 9)));
        assertTrue(publishedAtNs.get(9) - cutNs <= 350 * MS, "re-pinned after " + (publishedAtNs.get(9) - cutNs) / MS);

        network.runUntil(cutNs + 20_000 * MS);
        assertEquals(Route.of(1, 2, 3, 9), pop1.policy(9).preferredRoute());
    }

    @Test
    void shouldKeepALinkDisjointBackupProbedAndFailOverToItWhenTheSharedFirstLinkIsCut()
    {
        // the four cheapest ways from 1 to 9 all leave over 1-2; 1-5-9 (80 ms) shares no link with them
        final LoopbackNetwork network = new LoopbackNetwork();
        network.setLinkRtt(1, 2, 5 * MS);
        network.setLinkRtt(2, 9, 20 * MS);
        for (final int relay : new int[]{3, 4, 6})
        {
            network.setLinkRtt(2, relay, MS);
            network.setLinkRtt(relay, 9, 20 * MS);
        }
        network.setLinkRtt(1, 5, 40 * MS);
        network.setLinkRtt(5, 9, 40 * MS);
        final Map<Integer, PathWeights> published = new HashMap<>();
        final Map<Integer, Long> publishedAtNs = new HashMap<>();
        final Map<Integer, PathOptimizer> optimizers =
            optimizers(network, new int[]{1, 2, 3, 4, 5, 6, 9}, published, publishedAtNs);

        network.runUntil(30_000 * MS);
        final PathOptimizer pop1 = optimizers.get(1);
        assertEquals(Route.of(1, 2, 9), pop1.policy(9).preferredRoute());
        final PathWeights before = published.get(9);
        final int backup = before.indexOf(Route.of(1, 5, 9));
        assertTrue(backup >= 0 && before.isLive(backup),
            "the disjoint backup is a probed, live candidate: " + before);

        final long cutNs = cut(network, 1, 2);

        final PathWeights after = published.get(9);
        assertEquals(Route.of(1, 5, 9), after.preferredRoute(), after.toString());
        assertTrue(publishedAtNs.get(9) - cutNs <= 350 * MS, "re-pinned after " + (publishedAtNs.get(9) - cutNs) / MS);
    }

    /**
     * Cuts a link 3 ms from now, drops what is in flight and runs 400 ms on.
     *
     * @return when the link was cut.
     */
    private static long cut(final LoopbackNetwork network, final int a, final int b)
    {
        final long cutNs = network.nowNs + 3 * MS;
        network.runUntil(cutNs);
        network.setLinkCut(a, b, true);
        network.dropInFlight();
        network.runUntil(cutNs + 400 * MS);
        return cutNs;
    }

    /**
     * One optimizer per POP on the network, each a peer of every other; POP 1's published weights
     * are recorded with their time.
     */
    private static Map<Integer, PathOptimizer> optimizers(final LoopbackNetwork network, final int[] pops,
        final Map<Integer, PathWeights> published, final Map<Integer, Long> publishedAtNs)
    {
        final Map<Integer, PathOptimizer> optimizers = new HashMap<>();
        for (final int pop : pops)
        {
            final PathOptimizer optimizer = new PathOptimizer(pop, ProberConfig.DEFAULT, PolicyConfig.DEFAULT,
                new CandidatePathFinder(), network.transport(), (weights, nowNs) ->
                {
                    if (pop == 1)
                    {
                        published.put(weights.dstPop(), weights);
                        publishedAtNs.put(weights.dstPop(), nowNs);
                    }
                }, PathOptimizer.DEFAULT_RECOMPUTE_INTERVAL_NS, 100 + pop, 0);
            optimizers.put(pop, optimizer);
            network.register(pop, optimizer);
        }
        for (final int pop : pops)
        {
            for (final int peer : pops)
            {
                if (peer != pop)
                {
                    optimizers.get(pop).addPeer(peer, 0);
                }
            }
        }
        return optimizers;
    }
}
