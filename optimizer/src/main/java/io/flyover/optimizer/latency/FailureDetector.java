package io.flyover.optimizer.latency;

/**
 * BFD-style liveness of one path (RFC 5880's detection time, applied to reflected probes).
 * <p>
 * A path starts {@link #isUp() down}. It goes down when either
 * <ul>
 *     <li>{@code detectMultiplier} probes in a row are declared lost (the prober declares a probe
 *     lost when it has no reply by {@code sendNs + intervalNs × detectMultiplier}, or by its RTO
 *     on a path whose RTT is longer), or</li>
 *     <li>by time: no answered probe for the detection time {@code intervalNs × detectMultiplier}
 *     since the last one (or since the path came up) — that is {@code detectMultiplier} probe
 *     intervals passing without a reply, noticed on {@link #onTick(long)} without waiting for
 *     later sequence numbers or per-probe deadlines. At the defaults a cut path is down ≤ 300 ms
 *     after its last reply.</li>
 * </ul>
 * It comes back up after {@code upThreshold} answered probes in a row (dampening); a lost probe
 * restarts the count. Methods return {@link #NO_CHANGE}, {@link #WENT_DOWN} or {@link #WENT_UP};
 * {@link #lastTransitionNs()} holds the time of the latest transition.
 * <p>
 * Not thread safe: owned by the optimizer thread.
 */
public final class FailureDetector
{
    /** No transition. */
    public static final int NO_CHANGE = 0;

    /** The path went down. */
    public static final int WENT_DOWN = 1;

    /** The path came up. */
    public static final int WENT_UP = 2;

    private final FailureDetectorConfig config;
    private boolean up;
    private int consecutiveLost;
    private int consecutiveAnswered;
    private long lastAnsweredNs;
    private long lastTransitionNs;
    private long transitions;

    /**
     * @param config settings.
     * @param nowNs  current time.
     */
    public FailureDetector(final FailureDetectorConfig config, final long nowNs)
    {
        this.config = config;
        this.lastAnsweredNs = nowNs;
        this.lastTransitionNs = nowNs;
    }

    /**
     * @param nowNs when the reply arrived.
     * @return the transition caused.
     */
    public int onProbeAnswered(final long nowNs)
    {
        consecutiveLost = 0;
        consecutiveAnswered++;
        lastAnsweredNs = nowNs;
        if (!up && consecutiveAnswered >= config.upThreshold())
        {
            return transition(true, nowNs);
        }
        return NO_CHANGE;
    }

    /**
     * @param nowNs when the loss was declared.
     * @return the transition caused.
     */
    public int onProbeLost(final long nowNs)
    {
        consecutiveAnswered = 0;
        consecutiveLost++;
        if (up && consecutiveLost >= config.detectMultiplier())
        {
            return transition(false, nowNs);
        }
        return NO_CHANGE;
    }

    /**
     * Checks the detection time.
     *
     * @param nowNs current time.
     * @return the transition caused.
     */
    public int onTick(final long nowNs)
    {
        if (nowNs - lastAnsweredNs >= config.detectionTimeNs())
        {
            consecutiveAnswered = 0;
            if (up)
            {
                return transition(false, nowNs);
            }
        }
        return NO_CHANGE;
    }

    /**
     * @return true if the path is up.
     */
    public boolean isUp()
    {
        return up;
    }

    /**
     * @return time of the latest transition (creation time if none).
     */
    public long lastTransitionNs()
    {
        return lastTransitionNs;
    }

    /**
     * @return transitions since creation.
     */
    public long transitions()
    {
        return transitions;
    }

    /**
     * @return answered probes in a row so far.
     */
    public int consecutiveAnswered()
    {
        return consecutiveAnswered;
    }

    /**
     * @return lost probes in a row so far.
     */
    public int consecutiveLost()
    {
        return consecutiveLost;
    }

    private int transition(final boolean nowUp, final long nowNs)
    {
        up = nowUp;
        lastTransitionNs = nowNs;
        transitions++;
        if (nowUp)
        {
            lastAnsweredNs = nowNs;
            consecutiveLost = 0;
        }
        else
        {
            consecutiveAnswered = 0;
        }
        return nowUp ? WENT_UP : WENT_DOWN;
    }
}
