package io.flyover.optimizer.policy;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class DiscountedArmsTest
{
    private static final long MS = 1_000_000L;
    private static final long SECOND = 1_000 * MS;

    @ParameterizedTest
    @EnumSource(ExplorationStrategy.class)
    void shouldConvergeToTheCheapestArmOfASyntheticBandit(final ExplorationStrategy strategy)
    {
        final double[] meanMs = {60, 45, 52, 70};
        final int[] eligible = {0, 1, 2, 3};
        for (long seed = 1; seed <= 3; seed++)
        {
            final SplittableRandom world = new SplittableRandom(seed);
            final SplittableRandom random = new SplittableRandom(seed * 31);
            final DiscountedArms arms = DiscountedArms.of(PolicyConfig.DEFAULT, 0);
            int bestPicks = 0;
            final int rounds = 3_000;
            for (int round = 0; round < rounds; round++)
            {
                final long nowNs = round * 100 * MS;
                final int arm = arms.select(strategy, eligible, eligible.length, random, nowNs);
                final double costMs = meanMs[arm] + 5 * world.nextGaussian();
                arms.onRtt(arm, costMs * MS, 1.0, nowNs);
                arms.onOutcome(arm, false, nowNs);
                if (round >= rounds / 2 && arm == 1)
                {
                    bestPicks++;
                }
            }
            final double share = bestPicks / (double)(rounds / 2);
            assertTrue(share >= 0.85, strategy + " seed " + seed + " picked the best arm " + share);
        }
    }

    @Test
    void shouldJumpToANewRttLevelOnceItIsDetectedAsAShift()
    {
        final SplittableRandom random = new SplittableRandom(5);
        final DiscountedArms arms = DiscountedArms.of(PolicyConfig.DEFAULT, 0);
        long nowNs = 0;
        nowNs = probe(arms, random, nowNs, 1200, 50);
        assertEquals(Long.MIN_VALUE, arms.lastShiftUpNs(0));
        final long congestedNs = nowNs;
        nowNs = probe(arms, random, nowNs, 30, 90);
        // 3 s into the new level: a 10 s half-life mean alone would still be near 57 ms
        assertTrue(arms.lastShiftUpNs(0) > congestedNs);
        assertTrue(arms.meanCostNs(0, nowNs) > 80 * MS, "mean " + arms.meanCostNs(0, nowNs) / MS);
        assertTrue(arms.stableCostNs(0, nowNs) > 80 * MS, "stable " + arms.stableCostNs(0, nowNs) / MS);

        final long clearedNs = nowNs;
        nowNs = probe(arms, random, nowNs, 30, 50);
        assertTrue(arms.lastShiftDownNs(0) > clearedNs);
        assertTrue(arms.meanCostNs(0, nowNs) < 60 * MS, "mean " + arms.meanCostNs(0, nowNs) / MS);
    }

    @Test
    void shouldSeeTheEndOfAShiftThatCameBeforeItsNoiseWasLearnt()
    {
        // a path probed for 3 s congests, stays congested for 20 s, then recovers: the early shift
        // must not teach the RMS that 40 ms deviations are noise
        final SplittableRandom random = new SplittableRandom(8);
        final DiscountedArms arms = DiscountedArms.of(PolicyConfig.DEFAULT, 0);
        long nowNs = 0;
        nowNs = probe(arms, random, nowNs, 30, 50);
        nowNs = probe(arms, random, nowNs, 200, 90);
        assertTrue(arms.meanCostNs(0, nowNs) > 85 * MS);
        final long clearedNs = nowNs;
        nowNs = probe(arms, random, nowNs, 30, 50);
        assertTrue(arms.lastShiftDownNs(0) > clearedNs, "no shift down seen");
        assertTrue(arms.meanCostNs(0, nowNs) < 60 * MS, "mean " + arms.meanCostNs(0, nowNs) / MS);
    }

    /** Feeds arm 0 one probe RTT every 100 ms, Gaussian around {@code meanMs} (σ 2 ms); returns the time. */
    private static long probe(
        final DiscountedArms arms, final SplittableRandom random, final long fromNs, final int count, final double meanMs)
    {
        long nowNs = fromNs;
        for (int i = 0; i < count; i++)
        {
            nowNs += 100 * MS;
            arms.onRtt(0, (meanMs + 2 * random.nextGaussian()) * MS, 1.0, nowNs);
        }
        return nowNs;
    }

    @Test
    void shouldAddTheLossPenaltyToTheMeanCost()
    {
        final DiscountedArms arms = DiscountedArms.of(PolicyConfig.DEFAULT, 0);
        for (int i = 0; i < 100; i++)
        {
            arms.onRtt(0, 40 * MS, 1.0, 0);
            arms.onOutcome(0, i % 50 == 0, 0);
        }
        // 2% loss × 1 s penalty = 20 ms.
        assertEquals(60 * MS, arms.meanCostNs(0, 0), 1e-3);
        assertEquals(0.02, arms.lossRate(0, 0), 1e-12);
    }

    @Test
    void shouldPriceFailuresAtTheirRateTimesTheOutage()
    {
        final DiscountedArms arms = DiscountedArms.of(PolicyConfig.DEFAULT, 0);
        long nowNs = 0;
        // a failure every 10 s for 10 minutes, clean RTT evidence in between
        for (int failure = 0; failure < 60; failure++)
        {
            arms.onFailure(0, nowNs);
            for (int i = 0; i < 100; i++)
            {
                nowNs += 100 * MS;
                arms.onRtt(0, 40 * MS, 1.0, nowNs);
                arms.onOutcome(0, false, nowNs);
            }
        }
        nowNs -= 5 * SECOND; // half-way between the last two failures
        // 300 ms dead every 10 s is 3% of the time, priced as 3% loss: 30 ms at 1 s per unit (less
        // the first failure's share: (8.7 − 1) failures × ln 2 / 60 s × 300 ms = 2.7%)
        assertEquals(0.0267, arms.outageFraction(0, nowNs), 0.001);
        assertEquals(40 * MS + 1e9 * arms.outageFraction(0, nowNs), arms.meanCostNs(0, nowNs), 1e-3);
        assertEquals(arms.meanCostNs(0, nowNs), arms.stableCostNs(0, nowNs), 1e-3);

        // once the failures stop, the count halves every flap half-life (60 s), and below two
        // failures the price is gone
        final double count = arms.failureCount(0, nowNs);
        assertEquals(count / 2, arms.failureCount(0, nowNs + 60 * SECOND), 1e-9);
        assertEquals((count / 2 - 1) * Math.log(2) / 60e9 * 300e6, arms.outageFraction(0, nowNs + 60 * SECOND), 1e-5);
        assertEquals(0.0, arms.outageFraction(0, nowNs + 240 * SECOND));

        // a single failure is not priced; a second 10 s later prices a failure every ~10 s at once
        final DiscountedArms fresh = DiscountedArms.of(PolicyConfig.DEFAULT, 0);
        fresh.onFailure(0, 0);
        assertEquals(0.0, fresh.outageFraction(0, SECOND));
        fresh.onFailure(0, 10 * SECOND);
        assertEquals(0.0283, fresh.outageFraction(0, 10 * SECOND), 0.001);
        // two failures 1 ms apart would be a rate of 1,000 a second: dead all the time at most
        final DiscountedArms bounce = DiscountedArms.of(PolicyConfig.DEFAULT, 0);
        bounce.onFailure(0, 0);
        bounce.onFailure(0, 1_000_000L);
        assertEquals(1.0, bounce.outageFraction(0, 1_000_000L));
    }

    @Test
    void shouldHalveEvidenceEveryHalfLife()
    {
        final DiscountedArms arms = DiscountedArms.of(PolicyConfig.DEFAULT, 0);
        arms.onRtt(0, 40 * MS, 8.0, 0);
        assertEquals(4.0, arms.samples(0, 10 * SECOND), 1e-9);
        assertEquals(40 * MS, arms.meanCostNs(0, 10 * SECOND), 1e-3);
        assertTrue(Double.isNaN(arms.meanCostNs(1, 0)));
    }
}
