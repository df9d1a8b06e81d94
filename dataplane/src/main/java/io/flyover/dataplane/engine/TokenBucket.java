package io.flyover.dataplane.engine;

/**
 * A token bucket on an injected clock, owned by one worker thread: a rate in units per second
 * and a burst. Used to police services' bandwidth caps (bytes) and to rate-limit generated ICMP
 * errors (packets). Allocation-free.
 */
public final class TokenBucket
{
    private final long ratePerSecond;
    private final long burst;
    private long tokens;
    private long lastNs;

    /**
     * @param ratePerSecond units added per second; 0 or less means unlimited.
     * @param burst         most units held at once.
     * @param nowNs         the time the bucket starts full.
     */
    public TokenBucket(final long ratePerSecond, final long burst, final long nowNs)
    {
        this.ratePerSecond = ratePerSecond;
        this.burst = Math.max(1, burst);
        this.tokens = this.burst;
        this.lastNs = nowNs;
    }

    /**
     * Takes {@code amount} units if there are enough.
     *
     * @param amount units wanted.
     * @param nowNs  current time.
     * @return {@code true} if taken, {@code false} if the bucket holds too few.
     */
    public boolean tryTake(final long amount, final long nowNs)
    {
        if (ratePerSecond <= 0)
        {
            return true;
        }
        final long elapsedNs = nowNs - lastNs;
        if (elapsedNs > 0)
        {
            final long added = Math.min(burst, Math.multiplyHigh(elapsedNs, ratePerSecond) == 0 ?
                elapsedNs * ratePerSecond / 1_000_000_000L : burst);
            if (added > 0)
            {
                tokens = Math.min(burst, tokens + added);
                lastNs = nowNs;
            }
        }
        if (tokens >= amount)
        {
            tokens -= amount;
            return true;
        }
        return false;
    }

    /**
     * @return units currently held.
     */
    public long tokens()
    {
        return tokens;
    }
}
