package io.flyover.bench.pipeline;

import java.util.SplittableRandom;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ZipfSamplerTest
{
    private static double harmonic(final int n, final double s)
    {
        double sum = 0;
        for (int k = 1; k <= n; k++)
        {
            sum += Math.pow(k, -s);
        }
        return sum;
    }

    private static int[] histogram(final ZipfSampler sampler, final int draws, final long seed)
    {
        final int[] counts = new int[sampler.size()];
        final SplittableRandom random = new SplittableRandom(seed);
        for (int i = 0; i < draws; i++)
        {
            counts[sampler.sample(random)]++;
        }
        return counts;
    }

    @Test
    void shouldDrawRankOneWithItsZipfFrequency()
    {
        final int n = 10_000;
        final int draws = 1_000_000;
        final ZipfSampler sampler = new ZipfSampler(n, 1.0);
        final double expected = 1.0 / harmonic(n, 1.0); // about 0.1019
        assertEquals(expected, sampler.probability(0), 1e-12);
        final int[] counts = histogram(sampler, draws, 42);
        final double observed = (double)counts[0] / draws;
        // binomial standard deviation at this size is about 0.0003: allow more than 10 of them
        assertEquals(expected, observed, 0.004, "rank 1 frequency");
        assertEquals(expected / 2, (double)counts[1] / draws, 0.003, "rank 2 frequency, half of rank 1 at s = 1");
    }

    @Test
    void shouldFollowTheExponent()
    {
        final int n = 1000;
        final int draws = 500_000;
        final ZipfSampler sampler = new ZipfSampler(n, 1.5);
        final double expected = 1.0 / harmonic(n, 1.5);
        final int[] counts = histogram(sampler, draws, 7);
        assertEquals(expected, (double)counts[0] / draws, 0.005);
    }

    @Test
    void shouldDrawUniformlyWithExponentZero()
    {
        final int n = 100;
        final int draws = 1_000_000;
        final int[] counts = histogram(new ZipfSampler(n, 0), draws, 3);
        for (final int count : counts)
        {
            assertEquals(1.0 / n, (double)count / draws, 0.002);
        }
    }

    @Test
    void shouldStayInRangeAndCoverTheTail()
    {
        final ZipfSampler sampler = new ZipfSampler(3, 1.0);
        final int[] counts = histogram(sampler, 100_000, 11);
        assertTrue(counts[2] > 0);
        assertEquals(100_000, counts[0] + counts[1] + counts[2]);
    }

    @Test
    void shouldRejectBadArguments()
    {
        assertThrows(IllegalArgumentException.class, () -> new ZipfSampler(0, 1.0));
        assertThrows(IllegalArgumentException.class, () -> new ZipfSampler(10, -1));
        assertThrows(IllegalArgumentException.class, () -> new ZipfSampler(10, Double.NaN));
    }
}
