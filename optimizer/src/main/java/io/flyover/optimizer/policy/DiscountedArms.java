package io.flyover.optimizer.policy;

import java.util.Arrays;
import java.util.SplittableRandom;

/**
 * Discounted evidence about the cost of a few arms (candidate paths) and the two bandit rules
 * over it. Evidence fades with time: a sample's weight halves every half-life (RTT and loss have
 * their own), applied lazily per arm, so an arm that stops receiving samples grows uncertain again.
 * <p>
 * Per arm, with discounted RTT weight n, sum S and sum of squares Q, and discounted decided-probe
 * weight m with lost weight l:
 * <ul>
 *     <li>mean cost {@code μ = S/n + lossPenalty × l/m} (loss term 0 when m = 0);</li>
 *     <li>variance of one cost sample
 *     {@code s² = max(minStd², (n·v + σ0²)/(n + 1)) + lossPenalty² × p(1 − p) × n/m}, v = Q/n − (S/n)²,
 *     σ0 the prior standard deviation, p = l/m (plug-in: no loss seen, no loss uncertainty), so that the mean's variance s²/n is
 *     the RTT part over n plus the loss part over m;</li>
 *     <li>Thompson: draw {@code θ ~ N(μ, s²/max(n, ε))}, the cheapest draw wins; an arm with no
 *     RTT evidence is drawn first;</li>
 *     <li>UCB (minimising cost): index {@code μ − c·s·sqrt(2·ln(max(N, e))/n)}, N = Σn, the
 *     lowest wins; an arm with no evidence first.</li>
 * </ul>
 * Deterministic given the random generator passed in. Not thread safe: owned by the optimizer thread.
 */
public final class DiscountedArms
{
    private static final double LN2 = Math.log(2.0);
    private static final double MIN_WEIGHT = 1e-6;

    private final double rttDecayPerNs;
    private final double lossDecayPerNs;
    private final double lossPenaltyNs;
    private final double priorVar;
    private final double minVar;
    private final double ucbExploration;

    private final double[] rttWeight;
    private final double[] rttSum;
    private final double[] rttSumSq;
    private final double[] decidedWeight;
    private final double[] lostWeight;
    private final long[] lastDecayNs;

    /**
     * @param capacity       arms, ≥ 1.
     * @param rttHalfLifeNs  half-life of RTT evidence.
     * @param lossHalfLifeNs half-life of loss evidence.
     * @param lossPenaltyNs  cost per unit of loss fraction.
     * @param priorStdNs     prior standard deviation of one sample.
     * @param minStdNs       floor of the standard deviation of one sample.
     * @param ucbExploration UCB's c.
     * @param nowNs          current time.
     */
    public DiscountedArms(
        final int capacity,
        final long rttHalfLifeNs,
        final long lossHalfLifeNs,
        final long lossPenaltyNs,
        final long priorStdNs,
        final long minStdNs,
        final double ucbExploration,
        final long nowNs)
    {
        this.rttDecayPerNs = LN2 / rttHalfLifeNs;
        this.lossDecayPerNs = LN2 / lossHalfLifeNs;
        this.lossPenaltyNs = lossPenaltyNs;
        this.priorVar = (double)priorStdNs * priorStdNs;
        this.minVar = (double)minStdNs * minStdNs;
        this.ucbExploration = ucbExploration;
        rttWeight = new double[capacity];
        rttSum = new double[capacity];
        rttSumSq = new double[capacity];
        decidedWeight = new double[capacity];
        lostWeight = new double[capacity];
        lastDecayNs = new long[capacity];
        Arrays.fill(lastDecayNs, nowNs);
    }

    /**
     * @param config policy settings to take the half-lives, penalty and priors from.
     * @param nowNs  current time.
     * @return arms for {@code config.maxCandidates()} paths.
     */
    public static DiscountedArms of(final PolicyConfig config, final long nowNs)
    {
        return new DiscountedArms(config.maxCandidates(), config.rttHalfLifeNs(), config.lossHalfLifeNs(),
            config.lossPenaltyNs(), config.priorStdNs(), config.minStdNs(), config.ucbExploration(), nowNs);
    }

    /**
     * @return arms held.
     */
    public int capacity()
    {
        return rttWeight.length;
    }

    /**
     * Forgets an arm's evidence.
     *
     * @param arm   arm index.
     * @param nowNs current time.
     */
    public void reset(final int arm, final long nowNs)
    {
        rttWeight[arm] = 0;
        rttSum[arm] = 0;
        rttSumSq[arm] = 0;
        decidedWeight[arm] = 0;
        lostWeight[arm] = 0;
        lastDecayNs[arm] = nowNs;
    }

    /**
     * Copies one arm's evidence from another instance (with the same settings).
     *
     * @param source  arms to copy from.
     * @param from    arm index there.
     * @param to      arm index here.
     */
    public void copyFrom(final DiscountedArms source, final int from, final int to)
    {
        rttWeight[to] = source.rttWeight[from];
        rttSum[to] = source.rttSum[from];
        rttSumSq[to] = source.rttSumSq[from];
        decidedWeight[to] = source.decidedWeight[from];
        lostWeight[to] = source.lostWeight[from];
        lastDecayNs[to] = source.lastDecayNs[from];
    }

    /**
     * @param arm    arm index.
     * @param costNs an RTT (cost) sample.
     * @param weight its weight, 1 for a probe.
     * @param nowNs  current time.
     */
    public void onRtt(final int arm, final double costNs, final double weight, final long nowNs)
    {
        decay(arm, nowNs);
        rttWeight[arm] += weight;
        rttSum[arm] += weight * costNs;
        rttSumSq[arm] += weight * costNs * costNs;
    }

    /**
     * @param arm   arm index.
     * @param lost  true if the probe was lost.
     * @param nowNs current time.
     */
    public void onOutcome(final int arm, final boolean lost, final long nowNs)
    {
        decay(arm, nowNs);
        decidedWeight[arm] += 1;
        if (lost)
        {
            lostWeight[arm] += 1;
        }
    }

    /**
     * @param arm   arm index.
     * @param nowNs current time.
     * @return discounted RTT evidence weight.
     */
    public double samples(final int arm, final long nowNs)
    {
        decay(arm, nowNs);
        return rttWeight[arm];
    }

    /**
     * @param arm   arm index.
     * @param nowNs current time.
     * @return discounted mean cost in nanoseconds, NaN without RTT evidence.
     */
    public double meanCostNs(final int arm, final long nowNs)
    {
        decay(arm, nowNs);
        final double n = rttWeight[arm];
        if (n < MIN_WEIGHT)
        {
            return Double.NaN;
        }
        final double m = decidedWeight[arm];
        final double loss = m < MIN_WEIGHT ? 0.0 : lostWeight[arm] / m;
        return rttSum[arm] / n + lossPenaltyNs * loss;
    }

    /**
     * @param arm   arm index.
     * @param nowNs current time.
     * @return discounted loss fraction, 0 without evidence.
     */
    public double lossRate(final int arm, final long nowNs)
    {
        decay(arm, nowNs);
        final double m = decidedWeight[arm];
        return m < MIN_WEIGHT ? 0.0 : lostWeight[arm] / m;
    }

    /**
     * @param arm   arm index.
     * @param nowNs current time.
     * @return standard deviation of one cost sample, as documented on the class.
     */
    public double sampleStdNs(final int arm, final long nowNs)
    {
        decay(arm, nowNs);
        final double n = rttWeight[arm];
        double var = priorVar;
        if (n >= MIN_WEIGHT)
        {
            final double mean = rttSum[arm] / n;
            final double v = Math.max(0.0, rttSumSq[arm] / n - mean * mean);
            var = (n * v + priorVar) / (n + 1);
        }
        var = Math.max(minVar, var);
        final double m = decidedWeight[arm];
        final double p = m < MIN_WEIGHT ? 0.0 : Math.min(1.0, lostWeight[arm] / m);
        return Math.sqrt(var + lossPenaltyNs * lossPenaltyNs * p * (1 - p) * lossShare(arm));
    }

    /**
     * Draws one posterior sample of an arm's mean cost.
     *
     * @param arm    arm index.
     * @param random generator.
     * @param nowNs  current time.
     * @return the draw, {@link Double#NEGATIVE_INFINITY} for an arm without evidence.
     */
    public double thompsonDraw(final int arm, final SplittableRandom random, final long nowNs)
    {
        final double mean = meanCostNs(arm, nowNs);
        if (Double.isNaN(mean))
        {
            return Double.NEGATIVE_INFINITY;
        }
        final double std = sampleStdNs(arm, nowNs) / Math.sqrt(rttWeight[arm]);
        return mean + std * random.nextGaussian();
    }

    /**
     * @param arm        arm index.
     * @param totalCount discounted evidence over all arms considered (N).
     * @param nowNs      current time.
     * @return the optimistic (lower) cost index, {@link Double#NEGATIVE_INFINITY} without evidence.
     */
    public double ucbIndex(final int arm, final double totalCount, final long nowNs)
    {
        final double mean = meanCostNs(arm, nowNs);
        if (Double.isNaN(mean))
        {
            return Double.NEGATIVE_INFINITY;
        }
        final double bonus = ucbExploration * sampleStdNs(arm, nowNs) *
            Math.sqrt(2.0 * Math.log(Math.max(Math.E, totalCount)) / rttWeight[arm]);
        return mean - bonus;
    }

    /**
     * Picks one arm among {@code arms[0..count)}.
     *
     * @param strategy rule.
     * @param arms     eligible arm indices.
     * @param count    how many.
     * @param random   generator (Thompson).
     * @param nowNs    current time.
     * @return the chosen arm index, −1 if count is 0.
     */
    public int select(
        final ExplorationStrategy strategy, final int[] arms, final int count, final SplittableRandom random,
        final long nowNs)
    {
        double total = 0;
        if (strategy == ExplorationStrategy.UCB)
        {
            for (int i = 0; i < count; i++)
            {
                total += samples(arms[i], nowNs);
            }
        }
        int best = -1;
        double bestValue = Double.POSITIVE_INFINITY;
        for (int i = 0; i < count; i++)
        {
            final int arm = arms[i];
            final double value = strategy == ExplorationStrategy.THOMPSON ?
                thompsonDraw(arm, random, nowNs) : ucbIndex(arm, total, nowNs);
            if (best < 0 || value < bestValue)
            {
                best = arm;
                bestValue = value;
            }
        }
        return best;
    }

    private double lossShare(final int arm)
    {
        // Loss evidence has its own weight m: scaling by n/m makes s²/n carry L²·p(1 − p)/m.
        final double m = decidedWeight[arm];
        final double n = rttWeight[arm];
        return n < MIN_WEIGHT || m < MIN_WEIGHT ? 1.0 : n / m;
    }

    private void decay(final int arm, final long nowNs)
    {
        final long elapsedNs = nowNs - lastDecayNs[arm];
        if (elapsedNs <= 0)
        {
            return;
        }
        final double rttFactor = Math.exp(-rttDecayPerNs * elapsedNs);
        final double lossFactor = Math.exp(-lossDecayPerNs * elapsedNs);
        rttWeight[arm] *= rttFactor;
        rttSum[arm] *= rttFactor;
        rttSumSq[arm] *= rttFactor;
        decidedWeight[arm] *= lossFactor;
        lostWeight[arm] *= lossFactor;
        lastDecayNs[arm] = nowNs;
    }
}
