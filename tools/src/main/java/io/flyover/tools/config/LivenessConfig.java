package io.flyover.tools.config;

import java.time.Duration;

/**
 * BFD-style keepalives per peer: a peer is down after {@code multiplier} intervals without one.
 *
 * @param interval   time between keepalives, 10ms..10s, default 100ms.
 * @param multiplier missed keepalives before down, 1..255, default 3.
 */
public record LivenessConfig(Duration interval, int multiplier)
{
    /**
     * The defaults: every 100 ms, down after 3 missed.
     */
    public static final LivenessConfig DEFAULT = new LivenessConfig(Duration.ofMillis(100), 3);

    /**
     * How long a silent peer takes to be declared down.
     *
     * @return {@code interval * multiplier}.
     */
    public Duration detectionTime()
    {
        return interval.multipliedBy(multiplier);
    }
}
