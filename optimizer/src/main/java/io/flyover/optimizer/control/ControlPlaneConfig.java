package io.flyover.optimizer.control;

import io.flyover.optimizer.PathOptimizer;
import io.flyover.optimizer.linkstate.CandidatePathFinder;
import io.flyover.optimizer.policy.PolicyConfig;
import io.flyover.optimizer.probe.ProberConfig;

/**
 * Settings of a {@link ControlPlane}. Immutable.
 *
 * @param prober              probe interval, detect multiplier, up threshold, estimator, jitter.
 * @param policy              path policy knobs.
 * @param candidatePaths      candidate paths per destination (k of the k-best search).
 * @param relayPenaltyNs      cost added per relay in the candidate search.
 * @param recomputeIntervalNs shortest time between two candidate recomputations.
 * @param statusIntervalNs    how often the status snapshot read by the admin thread is refreshed.
 * @param hopLimit            hop limit written into probes.
 * @param seed                seeds every random choice (jitter, exploration).
 */
public record ControlPlaneConfig(
    ProberConfig prober,
    PolicyConfig policy,
    int candidatePaths,
    long relayPenaltyNs,
    long recomputeIntervalNs,
    long statusIntervalNs,
    int hopLimit,
    long seed)
{
    /** Hop limit of probes by default, the same as data's. */
    public static final int DEFAULT_HOP_LIMIT = 8;

    /** Status refresh by default: 100 ms. */
    public static final long DEFAULT_STATUS_INTERVAL_NS = 100_000_000L;

    /**
     * Checks the values.
     */
    public ControlPlaneConfig
    {
        if (null == prober || null == policy || candidatePaths < 1 || relayPenaltyNs < 0 || recomputeIntervalNs < 0 ||
            statusIntervalNs <= 0 || hopLimit < 1 || hopLimit > 255)
        {
            throw new IllegalArgumentException("invalid control plane config");
        }
    }

    /**
     * @param seed seeds every random choice.
     * @return the defaults: probes every 100 ms, down after 3 missed, 4 candidates, policy defaults.
     */
    public static ControlPlaneConfig defaults(final long seed)
    {
        return new ControlPlaneConfig(ProberConfig.DEFAULT, PolicyConfig.DEFAULT, CandidatePathFinder.DEFAULT_K,
            CandidatePathFinder.DEFAULT_RELAY_PENALTY_NS, PathOptimizer.DEFAULT_RECOMPUTE_INTERVAL_NS,
            DEFAULT_STATUS_INTERVAL_NS, DEFAULT_HOP_LIMIT, seed);
    }
}
