package io.flyover.optimizer.latency;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class FailureDetectorTest
{
    private static final long MS = 1_000_000L;

    private static FailureDetector upDetector()
    {
        final FailureDetector detector = new FailureDetector(FailureDetectorConfig.DEFAULT, 0);
        for (int i = 1; i <= 5; i++)
        {
            detector.onProbeAnswered(i * 100 * MS);
        }
        assertTrue(detector.isUp());
        return detector;
    }

    @Test
    void shouldStartDownAndComeUpAfterUpThresholdAnsweredProbes()
    {
        final FailureDetector detector = new FailureDetector(FailureDetectorConfig.DEFAULT, 0);
        assertFalse(detector.isUp());
        for (int i = 1; i <= 4; i++)
        {
            assertEquals(FailureDetector.NO_CHANGE, detector.onProbeAnswered(i * 100 * MS));
        }
        assertEquals(FailureDetector.WENT_UP, detector.onProbeAnswered(500 * MS));
        assertEquals(500 * MS, detector.lastTransitionNs());
    }

    @Test
    void shouldGoDownAfterDetectMultiplierLostProbesInARow()
    {
        final FailureDetector detector = upDetector();
        assertEquals(FailureDetector.NO_CHANGE, detector.onProbeLost(510 * MS));
        assertEquals(FailureDetector.NO_CHANGE, detector.onProbeLost(520 * MS));
        assertEquals(FailureDetector.WENT_DOWN, detector.onProbeLost(530 * MS));
        assertEquals(530 * MS, detector.lastTransitionNs());
    }

    @Test
    void shouldNotGoDownWhenLossesAreNotConsecutive()
    {
        final FailureDetector detector = upDetector();
        detector.onProbeLost(510 * MS);
        detector.onProbeLost(520 * MS);
        detector.onProbeAnswered(530 * MS);
        detector.onProbeLost(540 * MS);
        detector.onProbeLost(550 * MS);
        assertTrue(detector.isUp());
    }

    @Test
    void shouldGoDownByTimeWhenNoReplyArrivesForTheDetectionTime()
    {
        final FailureDetector detector = upDetector();
        assertEquals(FailureDetector.NO_CHANGE, detector.onTick(799 * MS));
        assertEquals(FailureDetector.WENT_DOWN, detector.onTick(800 * MS));
        assertFalse(detector.isUp());
    }

    @Test
    void shouldRestartTheUpCountAfterALoss()
    {
        final FailureDetector detector = upDetector();
        detector.onTick(800 * MS);
        for (int i = 0; i < 4; i++)
        {
            detector.onProbeAnswered((900 + i * 100) * MS);
        }
        detector.onProbeLost(1_300 * MS);
        for (int i = 0; i < 4; i++)
        {
            assertEquals(FailureDetector.NO_CHANGE, detector.onProbeAnswered((1_400 + i * 100) * MS));
        }
        assertEquals(FailureDetector.WENT_UP, detector.onProbeAnswered(1_800 * MS));
        assertEquals(3, detector.transitions());
    }
}
