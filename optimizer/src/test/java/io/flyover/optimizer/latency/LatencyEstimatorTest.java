package io.flyover.optimizer.latency;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class LatencyEstimatorTest
{
    private static final long MS = 1_000_000L;

    private static EstimatorConfig config(final int percentileWindow, final int lossWindow)
    {
        return new EstimatorConfig(1.0 / 8, 1.0 / 4, 1.0 / 16, 0.25, percentileWindow, lossWindow, 1_000 * MS);
    }

    @Test
    void shouldSmoothRttWithEwmaSeededByTheFirstSample()
    {
        final LatencyEstimator estimator = new LatencyEstimator(config(8, 16));
        assertTrue(Double.isNaN(estimator.srttNs()));

        estimator.onProbeAnswered(0, 0, 80 * MS, 80 * MS);
        assertEquals(80 * MS, estimator.srttNs(), 1e-6);
        assertEquals(40 * MS, estimator.rttVarNs(), 1e-6);

        estimator.onProbeAnswered(1, 100 * MS, 160 * MS, 260 * MS);
        // rttvar = 40 + (80 − 40)/4 = 50; srtt = 80 + (160 − 80)/8 = 90
        assertEquals(90 * MS, estimator.srttNs(), 1e-6);
        assertEquals(50 * MS, estimator.rttVarNs(), 1e-6);

        estimator.onProbeAnswered(2, 200 * MS, 10 * MS, 210 * MS);
        // rttvar = 50 + (80 − 50)/4 = 57.5; srtt = 90 + (10 − 90)/8 = 80
        assertEquals(80 * MS, estimator.srttNs(), 1e-6);
        assertEquals(57.5 * MS, estimator.rttVarNs(), 1e-6);
    }

    @Test
    void shouldComputeRfc3550JitterFromConsecutiveProbeRtts()
    {
        final LatencyEstimator estimator = new LatencyEstimator(config(8, 16));
        final long[] rtts = {50, 66, 50, 50};
        double expected = 0;
        long previous = -1;
        for (int i = 0; i < rtts.length; i++)
        {
            estimator.onProbeAnswered(i, i * 100 * MS, rtts[i] * MS, i * 100 * MS + rtts[i] * MS);
            if (previous >= 0)
            {
                expected += (Math.abs(rtts[i] - previous) * MS - expected) / 16.0;
            }
            previous = rtts[i];
        }
        // 0 → 1 → 1.9375 → 1.81640625 ms
        assertEquals(1.81640625 * MS, expected, 1e-3);
        assertEquals(expected, estimator.jitterNs(), 1e-3);
    }

    @Test
    void shouldGiveNearestRankPercentilesOverTheLastWindowOfSamples()
    {
        final LatencyEstimator estimator = new LatencyEstimator(config(20, 64));
        // 1..100 ms: only the last 20 (81..100) stay in the window.
        for (int i = 1; i <= 100; i++)
        {
            estimator.onProbeAnswered(i, i * MS, i * MS, 2 * i * MS);
        }
        assertEquals(90 * MS, estimator.p50Ns());
        assertEquals(99 * MS, estimator.p95Ns());
        assertEquals(81 * MS, estimator.percentileNs(0.01));
        assertEquals(100 * MS, estimator.percentileNs(1.0));
    }

    @Test
    void shouldReportNoPercentileBeforeAnySample()
    {
        final LatencyEstimator estimator = new LatencyEstimator(config(20, 64));
        assertEquals(-1, estimator.p50Ns());
        assertEquals(-1, estimator.p95Ns());
    }

    @Test
    void shouldCountLossOverTheWindowOfSequenceNumbers()
    {
        final LatencyEstimator estimator = new LatencyEstimator(config(8, 10));
        // seq 0..9: 3 lost.
        for (int seq = 0; seq < 10; seq++)
        {
            if (seq == 2 || seq == 5 || seq == 6)
            {
                estimator.onProbeLost(seq, seq * MS, seq * MS + 300 * MS);
            }
            else
            {
                estimator.onProbeAnswered(seq, seq * MS, 20 * MS, seq * MS + 20 * MS);
            }
        }
        assertEquals(0.3, estimator.lossRate(), 1e-9);

        // seq 10..16 answered: 2, 5, 6 slide out of the window (7..16).
        for (int seq = 10; seq < 17; seq++)
        {
            estimator.onProbeAnswered(seq, seq * MS, 20 * MS, seq * MS + 20 * MS);
        }
        assertEquals(0.0, estimator.lossRate(), 1e-9);
        assertEquals(10, estimator.decidedInWindow());
    }

    @Test
    void shouldNotCountPendingProbesAndShouldIgnoreDuplicatesAndTooOldSequences()
    {
        final LatencyEstimator estimator = new LatencyEstimator(config(8, 10));
        estimator.onProbeAnswered(20, 0, 10 * MS, 10 * MS);
        estimator.onProbeLost(22, 0, 300 * MS);
        assertEquals(0.5, estimator.lossRate(), 1e-9);
        assertEquals(2, estimator.decidedInWindow());

        estimator.onProbeAnswered(20, 0, 99 * MS, 400 * MS);
        estimator.onProbeAnswered(5, 0, 99 * MS, 400 * MS);
        assertEquals(2, estimator.decidedInWindow());
        assertEquals(10 * MS, estimator.srttNs(), 1e-6);

        // A jump far ahead empties the window.
        estimator.onProbeLost(1_000, 0, 500 * MS);
        assertEquals(1, estimator.decidedInWindow());
        assertEquals(1.0, estimator.lossRate(), 1e-9);
    }

    @Test
    void shouldWeighPassiveSamplesLessThanProbes()
    {
        final LatencyEstimator estimator = new LatencyEstimator(config(8, 10));
        estimator.onProbeAnswered(0, 0, 40 * MS, 40 * MS);
        estimator.onPassiveRtt(72 * MS, 50 * MS);
        // srtt = 40 + (1/8)(1/4)(72 − 40) = 41
        assertEquals(41 * MS, estimator.srttNs(), 1e-6);
        assertEquals(1, estimator.passiveSamples());
        assertEquals(1, estimator.probeSamples());
        assertEquals(40 * MS, estimator.p50Ns());
    }

    @Test
    void shouldReportStalenessAndDecayConfidenceWhenSamplesStop()
    {
        final LatencyEstimator estimator = new LatencyEstimator(config(4, 10));
        assertEquals(Long.MAX_VALUE, estimator.stalenessNs(0));
        assertEquals(0.0, estimator.confidence(0));
        assertFalse(estimator.hasRtt());
        for (int seq = 0; seq < 4; seq++)
        {
            estimator.onProbeAnswered(seq, seq * 100 * MS, 20 * MS, seq * 100 * MS + 20 * MS);
        }
        final long lastNs = 320 * MS;
        assertEquals(0, estimator.stalenessNs(lastNs));
        assertEquals(1.0, estimator.confidence(lastNs + 500 * MS), 1e-9);
        assertEquals(4_000 * MS, estimator.stalenessNs(lastNs + 4_000 * MS));
        assertEquals(0.25, estimator.confidence(lastNs + 4_000 * MS), 1e-9);
    }
}
