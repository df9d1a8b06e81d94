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
 *     <li>mean cost {@code μ = S/n + lossPenalty × (l/m + r·outage)} (loss term 0 when m = 0), r
 *     the failure rate: the failure count below beyond the first (a single failure is an
 *     incident, not yet a rate) over the discounted time since the first, so r·outage is the
 *     share of time the path's flows spend on it dead, unnoticed;</li>
 *     <li>variance of one cost sample
 *     {@code s² = max(minStd², (n·v + σ0²)/(n + 1)) + lossPenalty² × p(1 − p) × n/m}, v = Q/n − (S/n)²,
 *     σ0 the prior standard deviation, p = l/m (plug-in: no loss seen, no loss uncertainty), so that the mean's variance s²/n is
 *     the RTT part over n plus the loss part over m;</li>
 *     <li>Thompson: draw {@code θ ~ N(μ, s²/max(n, ε))}, the cheapest draw wins; an arm with no
 *     RTT evidence is drawn first;</li>
 *     <li>UCB (minimising cost): index {@code μ − c·s·sqrt(2·ln(max(N, e))/n)}, N = Σn, the
 *     lowest wins; an arm with no evidence first.</li>
 * </ul>
 * Besides, per arm:
 * <ul>
 *     <li>a <b>stable</b> (long-horizon) RTT mean with its own half-life, for decisions that must not
 *     follow slow noise;</li>
 *     <li><b>RTT level shifts</b>: a fast horizon (half-life a tenth of the RTT half-life) follows
 *     the latest samples; its deviation from the stable mean has a typical size under stationary
 *     noise, learnt as its discounted RMS (winsorised at the threshold, so a shift seen before the
 *     RMS is trusted does not teach it that shifts are noise); beyond {@code shiftZ} RMS (and beyond
 *     the absolute and relative floors) the short and stable evidence both restart from the fast
 *     evidence: the older samples belong to the old level, so the means jump to the new one instead
 *     of crawling towards it; the time of the last shift up and down is kept;</li>
 *     <li><b>loss level shifts</b>: recent losses (short horizon) too many for the older loss rate by
 *     an exact Poisson tail restart the loss evidence from the recent part, so a new loss level is
 *     not diluted by a clean history;</li>
 *     <li>a <b>failure count</b> f: +1 per failure, halving every flap half-life; a path that keeps
 *     failing costs more in proportion, so it keeps its flows only while it is still cheaper, with its
 *     outages priced in, than the next path.</li>
 * </ul>
 * Deterministic given the random generator passed in. Not thread safe: owned by the optimizer thread.
 */
public final class DiscountedArms
{
    private static final double LN2 = Math.log(2.0);
    /** The fast horizon's half-life is the RTT half-life over this: what a level shift restarts from. */
    static final double FAST_HORIZON_RATIO = 10.0;
    private static final double MIN_WEIGHT = 1e-6;
    /** A failure count decayed below this is forgotten when the next failure comes. */
    private static final double FORGOTTEN_FAILURES = 0.5;
    /** Deviation evidence needed before shifts are detected, in multiples of the short-horizon weight. */
    private static final double SHIFT_MIN_EVIDENCE = 3.0;
    private static final double RTT_SHIFT_MIN_EVIDENCE = 1.0;

    private final double rttDecayPerNs;
    private final double lossDecayPerNs;
    private final double lossPenaltyNs;
    private final double priorVar;
    private final double minVar;
    private final double ucbExploration;
    private final double stableDecayPerNs;
    private final double fastDecayPerNs;
    private final double shiftZ;
    private final double lossShiftAlpha;
    private final double shiftFloorNs;
    private final double shiftRelative;
    private final double flapDecayPerNs;
    private final double outageNs;

    private final double[] rttWeight;
    private final double[] rttSum;
    private final double[] rttSumSq;
    private final double[] fastWeight;
    private final double[] fastSum;
    private final double[] fastSumSq;
    private final double[] decidedWeight;
    private final double[] lostWeight;
    private final long[] lastDecayNs;
    private final double[] stableWeight;
    private final double[] stableSum;
    private final double[] deviationWeight;
    private final double[] deviationSumSq;
    private final long[] lastShiftUpNs;
    private final long[] lastShiftDownNs;
    private final long[] shifts;
    private final double[] recentDecided;
    private final double[] recentLost;
    private final double[] failures;
    private final long[] lastFlapDecayNs;
    private final long[] firstFailureNs;

    /**
     * @param capacity         arms, ≥ 1.
     * @param rttHalfLifeNs    half-life of RTT evidence (the short horizon).
     * @param lossHalfLifeNs   half-life of loss evidence.
     * @param lossPenaltyNs    cost per unit of loss fraction.
     * @param priorStdNs       prior standard deviation of one sample.
     * @param minStdNs         floor of the standard deviation of one sample.
     * @param ucbExploration   UCB's c.
     * @param stableHalfLifeNs half-life of the long-horizon (stable) RTT evidence.
     * @param shiftZ           a level shift needs the short mean this many RMS deviations from the stable mean ...
     * @param lossShiftZ       a loss level shift needs recent losses this unlikely (the one-sided normal tail
     *                         of this z) under the older loss rate ...
     * @param shiftFloorNs     ... and at least this far ...
     * @param shiftRelative    ... and at least this fraction of the stable mean.
     * @param flapHalfLifeNs   half-life of the failure count.
     * @param outageNs         time a failure leaves the path's flows dead.
     * @param nowNs            current time.
     */
    public DiscountedArms(
        final int capacity,
        final long rttHalfLifeNs,
        final long lossHalfLifeNs,
        final long lossPenaltyNs,
        final long priorStdNs,
        final long minStdNs,
        final double ucbExploration,
        final long stableHalfLifeNs,
        final double shiftZ,
        final double lossShiftZ,
        final long shiftFloorNs,
        final double shiftRelative,
        final long flapHalfLifeNs,
        final long outageNs,
        final long nowNs)
    {
        this.rttDecayPerNs = LN2 / rttHalfLifeNs;
        this.lossDecayPerNs = LN2 / lossHalfLifeNs;
        this.lossPenaltyNs = lossPenaltyNs;
        this.priorVar = (double)priorStdNs * priorStdNs;
        this.minVar = (double)minStdNs * minStdNs;
        this.ucbExploration = ucbExploration;
        this.stableDecayPerNs = LN2 / stableHalfLifeNs;
        this.fastDecayPerNs = FAST_HORIZON_RATIO * LN2 / rttHalfLifeNs;
        this.shiftZ = shiftZ;
        this.lossShiftAlpha = 0.5 * erfc(lossShiftZ / Math.sqrt(2.0));
        this.shiftFloorNs = shiftFloorNs;
        this.shiftRelative = shiftRelative;
        this.flapDecayPerNs = LN2 / flapHalfLifeNs;
        this.outageNs = outageNs;
        rttWeight = new double[capacity];
        rttSum = new double[capacity];
        rttSumSq = new double[capacity];
        fastWeight = new double[capacity];
        fastSum = new double[capacity];
        fastSumSq = new double[capacity];
        decidedWeight = new double[capacity];
        lostWeight = new double[capacity];
        lastDecayNs = new long[capacity];
        stableWeight = new double[capacity];
        stableSum = new double[capacity];
        deviationWeight = new double[capacity];
        deviationSumSq = new double[capacity];
        lastShiftUpNs = new long[capacity];
        lastShiftDownNs = new long[capacity];
        shifts = new long[capacity];
        recentDecided = new double[capacity];
        recentLost = new double[capacity];
        failures = new double[capacity];
        lastFlapDecayNs = new long[capacity];
        firstFailureNs = new long[capacity];
        Arrays.fill(lastDecayNs, nowNs);
        Arrays.fill(lastFlapDecayNs, nowNs);
        Arrays.fill(lastShiftUpNs, Long.MIN_VALUE);
        Arrays.fill(lastShiftDownNs, Long.MIN_VALUE);
    }

    /**
     * @param config policy settings to take the half-lives, penalty and priors from.
     * @param nowNs  current time.
     * @return arms for {@code config.maxCandidates()} paths.
     */
    public static DiscountedArms of(final PolicyConfig config, final long nowNs)
    {
        return of(config, config.maxCandidates(), nowNs);
    }

    /**
     * @param config   policy settings to take the half-lives, penalty and priors from.
     * @param capacity arms held.
     * @param nowNs    current time.
     * @return arms for {@code capacity} paths.
     */
    public static DiscountedArms of(final PolicyConfig config, final int capacity, final long nowNs)
    {
        return new DiscountedArms(capacity, config.rttHalfLifeNs(), config.lossHalfLifeNs(),
            config.lossPenaltyNs(), config.priorStdNs(), config.minStdNs(), config.ucbExploration(),
            config.stableHalfLifeNs(), config.shiftZ(), config.confidenceZ(), config.absoluteMarginNs(), config.relativeMargin(),
            config.flapHalfLifeNs(), config.outageNs(), nowNs);
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
        fastWeight[arm] = 0;
        fastSum[arm] = 0;
        fastSumSq[arm] = 0;
        decidedWeight[arm] = 0;
        lostWeight[arm] = 0;
        lastDecayNs[arm] = nowNs;
        stableWeight[arm] = 0;
        stableSum[arm] = 0;
        deviationWeight[arm] = 0;
        deviationSumSq[arm] = 0;
        lastShiftUpNs[arm] = Long.MIN_VALUE;
        lastShiftDownNs[arm] = Long.MIN_VALUE;
        shifts[arm] = 0;
        recentDecided[arm] = 0;
        recentLost[arm] = 0;
        failures[arm] = 0;
        lastFlapDecayNs[arm] = nowNs;
        firstFailureNs[arm] = nowNs;
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
        fastWeight[to] = source.fastWeight[from];
        fastSum[to] = source.fastSum[from];
        fastSumSq[to] = source.fastSumSq[from];
        decidedWeight[to] = source.decidedWeight[from];
        lostWeight[to] = source.lostWeight[from];
        lastDecayNs[to] = source.lastDecayNs[from];
        stableWeight[to] = source.stableWeight[from];
        stableSum[to] = source.stableSum[from];
        deviationWeight[to] = source.deviationWeight[from];
        deviationSumSq[to] = source.deviationSumSq[from];
        lastShiftUpNs[to] = source.lastShiftUpNs[from];
        lastShiftDownNs[to] = source.lastShiftDownNs[from];
        shifts[to] = source.shifts[from];
        recentDecided[to] = source.recentDecided[from];
        recentLost[to] = source.recentLost[from];
        failures[to] = source.failures[from];
        lastFlapDecayNs[to] = source.lastFlapDecayNs[from];
        firstFailureNs[to] = source.firstFailureNs[from];
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
        fastWeight[arm] += weight;
        fastSum[arm] += weight * costNs;
        fastSumSq[arm] += weight * costNs * costNs;
        stableWeight[arm] += weight;
        stableSum[arm] += weight * costNs;
        checkShift(arm, weight, nowNs);
    }

    /**
     * Level-shift detection: the fast-horizon mean against the stable (long-horizon) mean. Under
     * stationary noise their deviation has a typical size, learnt here as its discounted RMS; a
     * deviation beyond {@code shiftZ} RMS (and beyond the floors) is a change of regime, not noise.
     * The older samples belong to the previous level, so the short and the stable evidence both
     * restart from the fast evidence: the means jump to the new level instead of crawling towards
     * it, and a second shift (the congestion ending) is seen as quickly as the first.
     */
    private void checkShift(final int arm, final double weight, final long nowNs)
    {
        final double n = rttWeight[arm];
        final double stableN = stableWeight[arm];
        final double fastMean = fastSum[arm] / fastWeight[arm];
        final double stableMean = stableSum[arm] / stableN;
        final double deviation = fastMean - stableMean;
        final double devWeight = deviationWeight[arm];
        final double rms = devWeight < MIN_WEIGHT ? 0.0 : Math.sqrt(deviationSumSq[arm] / devWeight);
        // the RMS is only trusted with a short horizon's worth of deviations behind it
        final boolean trusted = devWeight >= RTT_SHIFT_MIN_EVIDENCE * n;
        final double thresholdNs = Math.max(shiftZ * rms, Math.max(shiftFloorNs, shiftRelative * stableMean));
        if (trusted && Math.abs(deviation) > thresholdNs)
        {
            rttWeight[arm] = fastWeight[arm];
            rttSum[arm] = fastSum[arm];
            rttSumSq[arm] = fastSumSq[arm];
            stableWeight[arm] = fastWeight[arm];
            stableSum[arm] = fastSum[arm];
            shifts[arm]++;
            if (deviation > 0)
            {
                lastShiftUpNs[arm] = nowNs;
            }
            else
            {
                lastShiftDownNs[arm] = nowNs;
            }
            return;
        }
        // winsorised at the threshold: a shift that is not (yet) trusted must not teach the RMS
        // that its deviations are noise, or it would mask every later shift for minutes
        final double clipped = Math.min(Math.abs(deviation), thresholdNs);
        deviationWeight[arm] += weight;
        deviationSumSq[arm] += weight * clipped * clipped;
    }

    /**
     * @param arm   arm index.
     * @param nowNs current time.
     * @return discounted mean cost over the stable (long) horizon in nanoseconds, NaN without evidence.
     */
    public double stableCostNs(final int arm, final long nowNs)
    {
        decay(arm, nowNs);
        final double n = stableWeight[arm];
        if (n < MIN_WEIGHT)
        {
            return Double.NaN;
        }
        return stableSum[arm] / n + lossPenaltyNs * (lossFraction(arm) + outageFraction(arm, nowNs));
    }

    /**
     * @param arm arm index.
     * @return when the arm's RTT last shifted up beyond its noise, {@link Long#MIN_VALUE} if never.
     */
    public long lastShiftUpNs(final int arm)
    {
        return lastShiftUpNs[arm];
    }

    /**
     * @param arm arm index.
     * @return when the arm's RTT last shifted down beyond its noise (congestion over),
     * {@link Long#MIN_VALUE} if never.
     */
    public long lastShiftDownNs(final int arm)
    {
        return lastShiftDownNs[arm];
    }

    /**
     * @param arm arm index.
     * @return level shifts detected.
     */
    public long shifts(final int arm)
    {
        return shifts[arm];
    }

    /**
     * Failure memory: each failure adds 1 to a count that halves every flap half-life.
     *
     * @param arm   arm index.
     * @param nowNs time of the failure.
     */
    public void onFailure(final int arm, final long nowNs)
    {
        final double count = failureCount(arm, nowNs);
        if (count < FORGOTTEN_FAILURES)
        {
            // what is left of earlier failures is less than half of one: a new history starts here
            firstFailureNs[arm] = nowNs;
            failures[arm] = 1.0;
        }
        else
        {
            failures[arm] = count + 1.0;
        }
    }

    /**
     * @param arm   arm index.
     * @param nowNs current time.
     * @return the decayed failure count.
     */
    public double failureCount(final int arm, final long nowNs)
    {
        final long elapsedNs = nowNs - lastFlapDecayNs[arm];
        if (elapsedNs > 0)
        {
            failures[arm] *= Math.exp(-flapDecayPerNs * elapsedNs);
            lastFlapDecayNs[arm] = nowNs;
        }
        return failures[arm];
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
        recentDecided[arm] += 1;
        if (lost)
        {
            lostWeight[arm] += 1;
            recentLost[arm] += 1;
        }
        checkLossShift(arm, nowNs);
    }

    /**
     * Loss level shift up: are the losses over the recent (RTT) horizon too many for the older loss
     * rate? The exact Poisson tail {@code P(X ≥ k)} of the recent count k under the older rate
     * (with one pseudo-loss, so a clean history is not taken as proof of zero loss) below
     * {@code lossShiftAlpha} is a new loss level: the loss evidence restarts from the recent horizon,
     * so it counts at once instead of being diluted by the clean history.
     */
    private void checkLossShift(final int arm, final long nowNs)
    {
        final double shortM = recentDecided[arm];
        final double shortL = recentLost[arm];
        final double olderM = decidedWeight[arm] - shortM;
        final double olderL = Math.max(0.0, lostWeight[arm] - shortL);
        if (olderM < (SHIFT_MIN_EVIDENCE - 1) * shortM || shortL < 1.5)
        {
            return;
        }
        final double olderP = (olderL + 1) / (olderM + 1);
        final int k = (int)Math.round(shortL);
        final double excess = shortL / shortM - olderP;
        if (excess > 0 && lossPenaltyNs * excess > shiftFloorNs && poissonTail(k, shortM * olderP) < lossShiftAlpha)
        {
            decidedWeight[arm] = shortM;
            lostWeight[arm] = shortL;
            shifts[arm]++;
            lastShiftUpNs[arm] = nowNs;
        }
    }

    /**
     * @return {@code P(X ≥ k)} for X ~ Poisson(lambda), k ≥ 1.
     */
    static double poissonTail(final int k, final double lambda)
    {
        double term = Math.exp(-lambda);
        double below = 0;
        for (int i = 0; i < k; i++)
        {
            below += term;
            term *= lambda / (i + 1);
        }
        return Math.max(0.0, 1.0 - below);
    }

    /**
     * @param arm   arm index.
     * @param nowNs current time.
     * @return standard deviation of one RTT sample (no loss part), as documented on the class.
     */
    public double rttStdNs(final int arm, final long nowNs)
    {
        decay(arm, nowNs);
        return Math.sqrt(rttVar(arm));
    }

    /** Variance of one RTT sample as it stands (no decay): the prior blended in, floored. */
    private double rttVar(final int arm)
    {
        final double n = rttWeight[arm];
        double var = priorVar;
        if (n >= MIN_WEIGHT)
        {
            final double mean = rttSum[arm] / n;
            final double v = Math.max(0.0, rttSumSq[arm] / n - mean * mean);
            var = (n * v + priorVar) / (n + 1);
        }
        return Math.max(minVar, var);
    }

    /**
     * @return the cost per unit of loss fraction.
     */
    public double lossPenaltyNs()
    {
        return lossPenaltyNs;
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
        return rttSum[arm] / n + lossPenaltyNs * (lossFraction(arm) + outageFraction(arm, nowNs));
    }

    /**
     * @param arm   arm index.
     * @param nowNs current time.
     * @return discounted loss fraction, 0 without evidence.
     */
    public double lossRate(final int arm, final long nowNs)
    {
        decay(arm, nowNs);
        return lossFraction(arm);
    }

    /**
     * @param arm   arm index.
     * @param nowNs current time.
     * @return the estimated share of time the arm's flows spend dead on it: failure rate × outage,
     * the rate being the failure count beyond the first (one failure is an incident; a second
     * within the memory makes a rate) over the time since the first, both discounted alike: two
     * failures Δ apart give a rate of about 1/Δ; a long run of them, the long-run rate.
     */
    public double outageFraction(final int arm, final long nowNs)
    {
        final double beyondFirst = failureCount(arm, nowNs) - 1.0;
        if (beyondFirst <= 0)
        {
            return 0.0;
        }
        final double exposureNs = -Math.expm1(-flapDecayPerNs * (nowNs - firstFailureNs[arm])) / flapDecayPerNs;
        return Math.min(1.0, beyondFirst / exposureNs * outageNs); // never more than dead all the time
    }

    /** Lost over decided probe weight as it stands (no decay), 0 without evidence. */
    private double lossFraction(final int arm)
    {
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
        final double var = rttVar(arm);
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
        final double fastFactor = Math.exp(-fastDecayPerNs * elapsedNs);
        fastWeight[arm] *= fastFactor;
        fastSum[arm] *= fastFactor;
        fastSumSq[arm] *= fastFactor;
        decidedWeight[arm] *= lossFactor;
        lostWeight[arm] *= lossFactor;
        recentDecided[arm] *= rttFactor;
        recentLost[arm] *= rttFactor;
        final double stableFactor = Math.exp(-stableDecayPerNs * elapsedNs);
        stableWeight[arm] *= stableFactor;
        stableSum[arm] *= stableFactor;
        deviationWeight[arm] *= stableFactor;
        deviationSumSq[arm] *= stableFactor;
        lastDecayNs[arm] = nowNs;
    }

    /**
     * Complementary error function (Numerical Recipes' erfcc, fractional error below 1.2e-7).
     */
    static double erfc(final double x)
    {
        final double z = Math.abs(x);
        final double t = 1.0 / (1.0 + 0.5 * z);
        final double r = t * Math.exp(-z * z - 1.26551223 + t * (1.00002368 + t * (0.37409196 + t * (0.09678418 +
            t * (-0.18628806 + t * (0.27886807 + t * (-1.13520398 + t * (1.48851587 +
            t * (-0.82215223 + t * 0.17087277)))))))));
        return x >= 0 ? r : 2.0 - r;
    }
}
