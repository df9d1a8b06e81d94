package io.flyover.optimizer.probe;

import io.flyover.optimizer.latency.EstimatorConfig;
import io.flyover.optimizer.latency.FailureDetectorConfig;

/**
 * Settings of a {@link Prober}. Immutable.
 *
 * @param failure            probe interval, detect multiplier and up threshold.
 * @param estimator          latency estimator settings.
 * @param jitterFraction     each interval is drawn uniformly from
 *                           {@code [interval × (1 − jitterFraction), interval]}, like BFD's 75–100%.
 * @param pendingWindow      probes in flight tracked per path; a power of two, large enough for
 *                           the loss timeout ({@code interval × multiplier}) at the shortest interval.
 * @param maxEntriesPerProbe link-state entries carried per message, 0..{@link ProbeMessage#MAX_ENTRIES}.
 */
public record ProberConfig(
    FailureDetectorConfig failure,
    EstimatorConfig estimator,
    double jitterFraction,
    int pendingWindow,
    int maxEntriesPerProbe)
{
    /** Defaults: 100 ms, ×3, 5 up, 10% jitter, 16 pending, 32 entries. */
    public static final ProberConfig DEFAULT = new ProberConfig(
        FailureDetectorConfig.DEFAULT, EstimatorConfig.DEFAULT, 0.1, 16, 32);

    /**
     * Checks the values.
     */
    public ProberConfig
    {
        if (!(jitterFraction >= 0 && jitterFraction < 1) || pendingWindow < 1 ||
            Integer.bitCount(pendingWindow) != 1 || maxEntriesPerProbe < 0 ||
            maxEntriesPerProbe > ProbeMessage.MAX_ENTRIES)
        {
            throw new IllegalArgumentException("invalid prober config");
        }
        final double shortestIntervalNs = failure.intervalNs() * (1 - jitterFraction);
        if (pendingWindow < failure.detectionTimeNs() / shortestIntervalNs + 1)
        {
            throw new IllegalArgumentException("pending window too small for the loss timeout");
        }
    }
}
