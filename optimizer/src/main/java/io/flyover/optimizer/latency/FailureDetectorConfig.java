package io.flyover.optimizer.latency;

/**
 * Settings of a {@link FailureDetector}. Immutable.
 *
 * @param intervalNs       probe interval.
 * @param detectMultiplier missed probes in a row that make a path down (BFD's detect multiplier).
 * @param upThreshold      answered probes in a row that bring a down path back up.
 */
public record FailureDetectorConfig(long intervalNs, int detectMultiplier, int upThreshold)
{
    /** Defaults: 100 ms, 3 missed, 5 good. */
    public static final FailureDetectorConfig DEFAULT = new FailureDetectorConfig(100_000_000L, 3, 5);

    /**
     * Checks the values.
     */
    public FailureDetectorConfig
    {
        if (intervalNs <= 0 || detectMultiplier < 1 || upThreshold < 1)
        {
            throw new IllegalArgumentException("invalid failure detector config");
        }
    }

    /**
     * @return {@code intervalNs × detectMultiplier}: the detection time, and how long a probe may
     * stay unanswered before it counts as lost.
     */
    public long detectionTimeNs()
    {
        return intervalNs * detectMultiplier;
    }
}
