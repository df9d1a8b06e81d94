package io.flyover.optimizer.sim;

import org.junit.jupiter.api.Test;

import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * The goals for the path policy, at reduced scale (30 POPs, 16 pairs, 200 simulated s with
 * a 30 s warm-up so that the optimizer's start-up, when link state is still being learnt, is not
 * counted as churn) on the WonderProxy matrix's first 30 POPs and on a synthetic matrix the
 * defaults were never tuned on (a random geometric graph on the globe with route inflation).
 */
class PolicyGoalsTest
{
    private static final String FLYOVER = "flyover";

    private static final int SEEDS = 4;

    private static SimConfig config(final SimScenario scenario, final long seed)
    {
        final SimConfig d = SimConfig.defaults(scenario, 200, seed);
        return new SimConfig(scenario, d.durationNs(), 30_000_000_000L, seed, 16, d.flowsPerSecond(), d.paretoShape(),
            d.paretoMinNs(), d.linkStateIntervalNs(), d.candidateIntervalNs());
    }

    private static SimMatrix wonderProxy30()
    {
        final Path file = SyntheticMatrices.wonderProxyFile();
        assumeTrue(file != null, "skipped: shared/data/latency/wonderproxy-100.csv is absent beside the clone");
        return SyntheticMatrices.subset(file, 30);
    }

    private static void assertSteadyGoals(final SimMatrix matrix)
    {
        final SimResult result = new Simulation(matrix, config(SimScenario.STEADY, 1)).run();
        final String json = result.toJson();
        final double flyover = result.meanRttMs(FLYOVER);
        final double oracle = result.meanRttMs("oracle");
        final double direct = result.meanRttMs("direct");
        assertTrue(result.changesPerPairHour(FLYOVER) <= 6.0, "preferred-route changes per pair-hour: " + json);
        assertTrue(flyover <= 1.03 * oracle, "within 3% of the oracle: " + json);
        assertTrue(direct - flyover >= 0.9 * (direct - oracle), "at least 90% of the oracle's gain over direct: " + json);
    }

    private static void assertFailoverGoals(final SimMatrix matrix)
    {
        final SimResult result = new Simulation(matrix, config(SimScenario.LINK_FAILURE, 2)).run();
        final String json = result.toJson();
        final Double recover = result.recoverMsP50();
        assertNotNull(recover, "an outage crossed a preferred route: " + json);
        assertTrue(recover <= 350.0, "flows re-pinned within 350 ms (p50): " + json);
        assertTrue(result.meanRttMs(FLYOVER) <= 1.05 * result.meanRttMs("oracle"), "within 5% of the oracle: " + json);
    }

    @Test
    void shouldMeetTheSteadyGoalsOnTheWonderProxyMatrix()
    {
        assertSteadyGoals(wonderProxy30());
    }

    @Test
    void shouldMeetTheSteadyGoalsOnASyntheticGeometricMatrix()
    {
        assertSteadyGoals(SyntheticMatrices.geometric(30, 7));
    }

    @Test
    void shouldRepinWithin350MsOnTheWonderProxyMatrix()
    {
        assertFailoverGoals(wonderProxy30());
    }

    @Test
    void shouldRepinWithin350MsOnASyntheticGeometricMatrix()
    {
        assertFailoverGoals(SyntheticMatrices.geometric(30, 7));
    }

    /**
     * Over seeds 1–4 (the episode takes the link most of the sampled pairs' routes cross, so each
     * seed puts it elsewhere): in every run flyover's mean over all flows is below greedy_ewma's,
     * and on the flows of the pairs the episode touched it is never more than 1% above; summed over
     * the seeds it is at least 1% lower; it changes routes less than a twentieth as often (a
     * tenth under the flapping link, whose failures force changes).
     */
    private static void assertBetterThanGreedy(final SimMatrix matrix)
    {
        // greedy_ewma shares the failure detector but not flyover's loss estimate, failure pricing
        // and hysteresis; its candidates come from the same search over link RTTs without loss
        for (final SimScenario scenario : new SimScenario[]{SimScenario.FLAPPING_LINK, SimScenario.GRAY_FAILURE})
        {
            double flyoverMeans = 0;
            double greedyMeans = 0;
            final StringBuilder runs = new StringBuilder();
            for (long seed = 1; seed <= SEEDS; seed++)
            {
                final SimResult result = new Simulation(matrix, config(scenario, seed)).run();
                final String json = scenario + " seed " + seed + ": " + result.toJson();
                final double flyover = result.meanRttMs(FLYOVER);
                final double greedy = result.meanRttMs("greedy_ewma");
                final double oracle = result.meanRttMs("oracle");
                final double touched = result.touchedMeanRttMs(FLYOVER);
                final double greedyTouched = result.touchedMeanRttMs("greedy_ewma");
                assertTrue(flyover < greedy, "over all flows " + flyover + " vs " + greedy + ": " + json);
                assertTrue(touched <= 1.01 * greedyTouched,
                    "on the flows of the pairs the episode touched " + touched + " vs " + greedyTouched + ": " + json);
                // a flapping link forces a change at each failure, and a failback undoes it while
                // the route is still the better one with its failures priced in; noise moves none
                final int fewer = scenario == SimScenario.FLAPPING_LINK ? 10 : 20;
                assertTrue(result.changesPerPairHour(FLYOVER) * fewer < result.changesPerPairHour("greedy_ewma"), json);
                flyoverMeans += flyover;
                greedyMeans += greedy;
                runs.append(String.format("%n seed %d: all %.2f vs %.2f (oracle %.2f), touched %.2f vs %.2f", seed,
                    flyover, greedy, oracle, touched, greedyTouched));
            }
            assertTrue(flyoverMeans <= 0.99 * greedyMeans, scenario + ": over all flows, summed over the seeds" + runs);
        }
    }

    @Test
    void shouldBeatGreedyOnAFlappingOrLossyLinkOnTheWonderProxyMatrix()
    {
        assertBetterThanGreedy(wonderProxy30());
    }

    @Test
    void shouldBeatGreedyOnAFlappingOrLossyLinkOnASyntheticTwoRegionMatrix()
    {
        assertBetterThanGreedy(SyntheticMatrices.twoRegions(30, 3));
    }
}
