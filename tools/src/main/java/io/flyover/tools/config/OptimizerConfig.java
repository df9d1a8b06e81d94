package io.flyover.tools.config;

import java.time.Duration;

/**
 * The path optimizer: when enabled it replaces liveness keepalives with probes of every candidate
 * path, learns RTT, loss and jitter, and publishes the path tables from its weights (the configured
 * routes remain the fallback while it knows no live path to a destination).
 *
 * @param enabled            run the optimizer instead of liveness keepalives; default false.
 * @param probeInterval      time between probes of one path, 10ms..10s, default 100ms.
 * @param detectMultiplier   probes missed in a row (of detection time) before a path is down, 1..255, default 3.
 * @param upAfter            answered probes in a row before a path is up again, 1..255, default 5.
 * @param candidates         candidate paths per destination, 1..8, default 4.
 * @param explorationPercent most of the new flows sent to paths other than the preferred one, 0..50, default 5.
 * @param hold               how long a cheaper path must stay cheaper before it takes over, 0..10m, default 3s.
 * @param lossPenalty        cost of 100% loss in time (1% of it per 1% loss), 0..1h, default 1s.
 * @param warmUp             journal history read at start to warm the estimates, 0 (off)..1h, default 60s.
 * @param journal            write measurements and decisions to {@code journal-dir}; default true.
 * @param journalRetention   how long journal files are kept after their hour ended, 1h..2160h (90 days), default 24h.
 */
public record OptimizerConfig(
    boolean enabled,
    Duration probeInterval,
    int detectMultiplier,
    int upAfter,
    int candidates,
    int explorationPercent,
    Duration hold,
    Duration lossPenalty,
    Duration warmUp,
    boolean journal,
    Duration journalRetention)
{
    /** The defaults: disabled; when enabled every 100 ms, down after 3 missed, up after 5. */
    public static final OptimizerConfig DEFAULT = new OptimizerConfig(false, Duration.ofMillis(100), 3, 5, 4, 5,
        Duration.ofSeconds(3), Duration.ofSeconds(1), Duration.ofSeconds(60), true, Duration.ofHours(24));

    /** Shortest journal retention. */
    public static final Duration MIN_JOURNAL_RETENTION = Duration.ofHours(1);

    /** Longest journal retention: 90 days. */
    public static final Duration MAX_JOURNAL_RETENTION = Duration.ofDays(90);

    /**
     * @return how long a silent path takes to be declared down: {@code probeInterval × detectMultiplier}.
     */
    public Duration detectionTime()
    {
        return probeInterval.multipliedBy(detectMultiplier);
    }
}
