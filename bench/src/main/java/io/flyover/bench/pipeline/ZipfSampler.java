package io.flyover.bench.pipeline;

import java.util.Arrays;
import java.util.SplittableRandom;

/**
 * Draws ranks {@code 0..n-1} with probability proportional to {@code 1 / (rank + 1)^exponent}
 * (Zipf), or uniformly when the exponent is 0. Exact: inverts a precomputed cumulative table
 * by binary search ({@code 8 * n} bytes). Used off the measured path, to pre-generate the order
 * in which flows send; owned by one thread.
 */
public final class ZipfSampler
{
    private final int n;
    private final double exponent;
    private final double[] cumulative;

    /**
     * @param n        number of ranks, at least 1.
     * @param exponent Zipf exponent, {@code >= 0}; 0 means uniform.
     */
    public ZipfSampler(final int n, final double exponent)
    {
        if (n < 1)
        {
            throw new IllegalArgumentException("need at least one rank: " + n);
        }
        if (!(exponent >= 0) || Double.isInfinite(exponent))
        {
            throw new IllegalArgumentException("exponent must be finite and >= 0: " + exponent);
        }
        this.n = n;
        this.exponent = exponent;
        if (0 == exponent)
        {
            cumulative = null;
        }
        else
        {
            cumulative = new double[n];
            double sum = 0;
            for (int i = 0; i < n; i++)
            {
                sum += Math.pow(i + 1, -exponent);
                cumulative[i] = sum;
            }
        }
    }

    /**
     * @return the number of ranks.
     */
    public int size()
    {
        return n;
    }

    /**
     * @return the exponent, 0 for uniform.
     */
    public double exponent()
    {
        return exponent;
    }

    /**
     * @param rank a rank, {@code 0..n-1} (0 is the most popular).
     * @return the probability that {@link #sample} returns it.
     */
    public double probability(final int rank)
    {
        if (null == cumulative)
        {
            return 1.0 / n;
        }
        final double previous = 0 == rank ? 0 : cumulative[rank - 1];
        return (cumulative[rank] - previous) / cumulative[n - 1];
    }

    /**
     * @param random the source of randomness.
     * @return a rank, {@code 0..n-1}.
     */
    public int sample(final SplittableRandom random)
    {
        if (null == cumulative)
        {
            return random.nextInt(n);
        }
        final double u = random.nextDouble() * cumulative[n - 1];
        int index = Arrays.binarySearch(cumulative, u);
        if (index < 0)
        {
            index = -index - 1;
        }
        return Math.min(index, n - 1);
    }

    /**
     * @param count  number of draws.
     * @param random the source of randomness.
     * @return {@code count} independent draws.
     */
    public int[] draws(final int count, final SplittableRandom random)
    {
        final int[] draws = new int[count];
        for (int i = 0; i < count; i++)
        {
            draws[i] = sample(random);
        }
        return draws;
    }
}
