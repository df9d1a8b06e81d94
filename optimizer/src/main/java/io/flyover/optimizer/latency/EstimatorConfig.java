package io.flyover.optimizer.latency;

/**
 * Settings of a {@link LatencyEstimator}. Immutable.
 *
 * @param rttGain             EWMA gain for the smoothed RTT (RFC 6298's α = 1/8).
 * @param rttVarGain          gain for the RTT mean deviation from the smoothed RTT (RFC 6298's β = 1/4).
 * @param jitterGain          gain of the RFC 3550 interarrival jitter (1/16).
 * @param passiveWeight       weight of a passive (TCP handshake) sample relative to a probe, 0..1.
 * @param percentileWindow    probe RTT samples kept for p50/p95, ≥ 1.
 * @param lossWindow          probe sequence numbers over which loss is counted, ≥ 1.
 * @param staleAfterNs        age of the last sample after which confidence decays.
 */
public record EstimatorConfig(
    double rttGain,
    double rttVarGain,
    double jitterGain,
    double passiveWeight,
    int percentileWindow,
    int lossWindow,
    long staleAfterNs)
{
    /** Defaults: α = 1/8, β = 1/4, jitter 1/16, passive ¼, 64 samples, 100 probes (10 s), stale after 1 s. */
    public static final EstimatorConfig DEFAULT = new EstimatorConfig(
        1.0 / 8, 1.0 / 4, 1.0 / 16, 0.25, 64, 100, 1_000_000_000L);

    /**
     * Checks the values.
     */
    public EstimatorConfig
    {
        if (!(rttGain > 0 && rttGain <= 1) || !(rttVarGain > 0 && rttVarGain <= 1) ||
            !(jitterGain > 0 && jitterGain <= 1) || !(passiveWeight >= 0 && passiveWeight <= 1) ||
            percentileWindow < 1 || lossWindow < 1 || staleAfterNs <= 0)
        {
            throw new IllegalArgumentException("invalid estimator config");
        }
    }
}
