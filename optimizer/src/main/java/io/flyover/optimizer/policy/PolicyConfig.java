package io.flyover.optimizer.policy;

/**
 * Settings of a {@link PathPolicy}. Immutable.
 *
 * @param strategy            exploration strategy.
 * @param explorationShare    most of the new flows ever sent to paths other than the preferred one, 0..1.
 * @param exploreTopN         how many of the best non-preferred live paths may be explored.
 * @param relativeMargin      hysteresis: a challenger must be cheaper by this fraction of the
 *                            preferred path's cost ...
 * @param absoluteMarginNs    ... and by at least this many nanoseconds ...
 * @param confidenceZ         ... and by this many standard errors of the difference of the two
 *                            means (the largest of the three applies), so noise alone does not
 *                            move traffic whatever its level ...
 * @param holdNs              ... continuously for this long, before it becomes preferred (a third of
 *                            it within one hold of a level shift); and it must also be cheaper on the
 *                            stable horizon ...
 * @param stableHalfLifeNs    ... whose RTT evidence has this half-life: under stationary noise it
 *                            converges to the long-run mean, so slow noise cannot move traffic back
 *                            and forth ...
 * @param stableMargin        ... by this fraction of the preferred path's stable cost (and by
 *                            {@code absoluteMarginNs}); smaller than {@code relativeMargin}, as
 *                            long-run means are less noisy than short ones.
 * @param shiftZ              a path's short-horizon mean this many RMS deviations (learnt) away from its
 *                            stable mean is a level shift (congestion starts or ends): its stable
 *                            evidence restarts from the short horizon.
 * @param minDwellNs          after a change of the preferred path, no other change for this long,
 *                            except a failure or a level shift up of the preferred path.
 * @param flapHalfLifeNs      a path's failures are counted with this half-life: the count beyond
 *                            the first over the time since the first, discounted alike, estimates
 *                            its failure rate ...
 * @param outageNs            ... and each failure costs the flows on the path this long dead (the
 *                            time to detect it and re-pin them), so failures add
 *                            {@code lossPenalty × rate × outage} to the path's cost, as loss does.
 * @param rttHalfLifeNs       half-life of RTT evidence (discounting).
 * @param lossHalfLifeNs      half-life of loss evidence (loss is rarer, so it needs a longer memory).
 * @param lossPenaltyNs       cost per unit of loss fraction: {@code cost = rtt + lossPenalty × loss}.
 * @param passiveWeight       weight of a passive RTT sample relative to a probe, 0..1.
 * @param minSamples          discounted RTT samples a challenger needs before it may take over.
 * @param explorationPeriodNs how often the exploration split is redrawn.
 * @param thompsonDraws       posterior draws per Thompson exploration split.
 * @param ucbExploration      UCB's exploration constant c.
 * @param priorStdNs          prior standard deviation of one cost sample (blended in for few samples).
 * @param minStdNs            floor of the standard deviation of one cost sample.
 * @param maxCandidates       most candidate paths per destination.
 */
public record PolicyConfig(
    ExplorationStrategy strategy,
    double explorationShare,
    int exploreTopN,
    double relativeMargin,
    long absoluteMarginNs,
    double confidenceZ,
    long holdNs,
    long stableHalfLifeNs,
    double stableMargin,
    double shiftZ,
    long minDwellNs,
    long flapHalfLifeNs,
    long outageNs,
    long rttHalfLifeNs,
    long lossHalfLifeNs,
    long lossPenaltyNs,
    double passiveWeight,
    double minSamples,
    long explorationPeriodNs,
    int thompsonDraws,
    double ucbExploration,
    long priorStdNs,
    long minStdNs,
    int maxCandidates)
{
    /**
     * Defaults: Thompson, 5% exploration over the top 2 alternatives, 2% / 1 ms / 2 standard
     * errors margin held 3 s, stable horizon half-life 2 min with a 1% margin, level shift at 4 RMS, dwell 60 s,
     * failures counted with a half-life of 60 s, each costing 300 ms dead (3 × 100 ms detection),
     * RTT half-life 10 s, loss half-life 60 s, loss penalty 1 s (1% loss = 10 ms), passive ¼,
     * 10 samples, split redrawn every second from 64 draws, c = 1, prior σ 10 ms, σ floor 0.5 ms,
     * 8 candidates.
     */
    public static final PolicyConfig DEFAULT = new PolicyConfig(
        ExplorationStrategy.THOMPSON, 0.05, 2, 0.02, 1_000_000L, 2.0, 3_000_000_000L,
        120_000_000_000L, 0.01, 4.0, 60_000_000_000L, 60_000_000_000L, 300_000_000L,
        10_000_000_000L, 60_000_000_000L, 1_000_000_000L, 0.25, 10.0, 1_000_000_000L, 64, 1.0,
        10_000_000L, 500_000L, 8);

    /**
     * Checks the values.
     */
    public PolicyConfig
    {
        if (strategy == null || !(explorationShare >= 0 && explorationShare < 1) || exploreTopN < 0 ||
            !(relativeMargin >= 0) || absoluteMarginNs < 0 || !(confidenceZ >= 0) || holdNs < 0 ||
            stableHalfLifeNs < rttHalfLifeNs || !(stableMargin >= 0) ||
            !(shiftZ > 0) || minDwellNs < 0 || flapHalfLifeNs <= 0 || outageNs < 0 || rttHalfLifeNs <= 0 ||
            lossHalfLifeNs <= 0 || lossPenaltyNs < 0 || !(passiveWeight >= 0 && passiveWeight <= 1) ||
            !(minSamples >= 0) || explorationPeriodNs <= 0 || thompsonDraws < 1 || !(ucbExploration >= 0) ||
            priorStdNs <= 0 || minStdNs <= 0 || maxCandidates < 1)
        {
            throw new IllegalArgumentException("invalid policy config");
        }
    }

    /**
     * @param strategy another strategy.
     * @return a copy with that strategy.
     */
    public PolicyConfig withStrategy(final ExplorationStrategy strategy)
    {
        return new PolicyConfig(strategy, explorationShare, exploreTopN, relativeMargin, absoluteMarginNs, confidenceZ, holdNs,
            stableHalfLifeNs, stableMargin, shiftZ, minDwellNs, flapHalfLifeNs, outageNs, rttHalfLifeNs,
            lossHalfLifeNs, lossPenaltyNs, passiveWeight, minSamples, explorationPeriodNs, thompsonDraws, ucbExploration,
            priorStdNs, minStdNs, maxCandidates);
    }
}
