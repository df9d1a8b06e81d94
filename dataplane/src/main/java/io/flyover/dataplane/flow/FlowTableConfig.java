package io.flyover.dataplane.flow;

import java.util.concurrent.TimeUnit;

/**
 * Configuration of one shard's flow table. Immutable.
 *
 * @param capacity                number of slots, a power of two in {@code [2, MAX_CAPACITY]};
 *                                memory is {@code capacity * 64} bytes.
 * @param maxProbeLength          longest probe sequence, {@code 1..min(capacity, 1024)}: a key is
 *                                found within this many slots of its home slot or not at all.
 * @param tcpEmbryonicTimeoutNs   idle timeout of TCP flows whose handshake is not complete.
 * @param tcpEstablishedTimeoutNs idle timeout of established TCP flows.
 * @param tcpClosingTimeoutNs     idle timeout of TCP flows that saw FIN or RST.
 * @param udpTimeoutNs            idle timeout of UDP flows.
 * @param icmpTimeoutNs           idle timeout of ICMP echo flows.
 * @param evictIdleWhenFull       when a probe window is full and holds neither an expired nor an
 *                                embryonic entry, evict its longest-idle entry (true) or fail the
 *                                insert with {@link FlowTable#FULL} (false, the default).
 */
public record FlowTableConfig(
    int capacity,
    int maxProbeLength,
    long tcpEmbryonicTimeoutNs,
    long tcpEstablishedTimeoutNs,
    long tcpClosingTimeoutNs,
    long udpTimeoutNs,
    long icmpTimeoutNs,
    boolean evictIdleWhenFull)
{
    /** Default capacity: 2^20 slots, 64 MiB. */
    public static final int DEFAULT_CAPACITY = 1 << 20;

    /** Largest capacity: 2^24 slots, 1 GiB, the most an Agrona buffer addresses. */
    public static final int MAX_CAPACITY = 1 << 24;

    /** Default probe bound: 32 slots, 2 KiB. */
    public static final int DEFAULT_MAX_PROBE_LENGTH = 32;

    /** Largest probe bound. */
    public static final int MAX_PROBE_LENGTH = 1024;

    /** Longest timeout: entry times are 32-bit milliseconds compared by wrapping subtraction. */
    public static final long MAX_TIMEOUT_NS = TimeUnit.DAYS.toNanos(24);

    /**
     * Validates.
     */
    public FlowTableConfig
    {
        if (capacity < 2 || capacity > MAX_CAPACITY || Integer.bitCount(capacity) != 1)
        {
            throw new IllegalArgumentException("capacity must be a power of two in [2, " + MAX_CAPACITY + "]: " + capacity);
        }
        if (maxProbeLength < 1 || maxProbeLength > Math.min(capacity, MAX_PROBE_LENGTH))
        {
            throw new IllegalArgumentException("max probe length out of range: " + maxProbeLength);
        }
        checkTimeout("tcpEmbryonicTimeoutNs", tcpEmbryonicTimeoutNs);
        checkTimeout("tcpEstablishedTimeoutNs", tcpEstablishedTimeoutNs);
        checkTimeout("tcpClosingTimeoutNs", tcpClosingTimeoutNs);
        checkTimeout("udpTimeoutNs", udpTimeoutNs);
        checkTimeout("icmpTimeoutNs", icmpTimeoutNs);
    }

    /**
     * Defaults: 2^20 slots, probe bound 32, timeouts TCP embryonic 10 s, established 360 s,
     * closing 10 s, UDP 30 s, ICMP 10 s, no eviction of idle non-embryonic flows.
     *
     * @return the default configuration.
     */
    public static FlowTableConfig defaults()
    {
        return new FlowTableConfig(
            DEFAULT_CAPACITY,
            DEFAULT_MAX_PROBE_LENGTH,
            TimeUnit.SECONDS.toNanos(10),
            TimeUnit.SECONDS.toNanos(360),
            TimeUnit.SECONDS.toNanos(10),
            TimeUnit.SECONDS.toNanos(30),
            TimeUnit.SECONDS.toNanos(10),
            false);
    }

    /**
     * @param capacity slots, a power of two.
     * @return a copy with that capacity (and the probe bound reduced to it if larger).
     */
    public FlowTableConfig withCapacity(final int capacity)
    {
        return new FlowTableConfig(
            capacity,
            Math.min(maxProbeLength, capacity),
            tcpEmbryonicTimeoutNs,
            tcpEstablishedTimeoutNs,
            tcpClosingTimeoutNs,
            udpTimeoutNs,
            icmpTimeoutNs,
            evictIdleWhenFull);
    }

    /**
     * @param maxProbeLength probe bound.
     * @return a copy with that probe bound.
     */
    public FlowTableConfig withMaxProbeLength(final int maxProbeLength)
    {
        return new FlowTableConfig(
            capacity,
            maxProbeLength,
            tcpEmbryonicTimeoutNs,
            tcpEstablishedTimeoutNs,
            tcpClosingTimeoutNs,
            udpTimeoutNs,
            icmpTimeoutNs,
            evictIdleWhenFull);
    }

    /**
     * @param evictIdleWhenFull the eviction policy for non-embryonic flows.
     * @return a copy with that policy.
     */
    public FlowTableConfig withEvictIdleWhenFull(final boolean evictIdleWhenFull)
    {
        return new FlowTableConfig(
            capacity,
            maxProbeLength,
            tcpEmbryonicTimeoutNs,
            tcpEstablishedTimeoutNs,
            tcpClosingTimeoutNs,
            udpTimeoutNs,
            icmpTimeoutNs,
            evictIdleWhenFull);
    }

    /**
     * @param state a {@link FlowState}.
     * @return its idle timeout in ns.
     */
    public long idleTimeoutNs(final int state)
    {
        return switch (state)
        {
            case FlowState.TCP_EMBRYONIC -> tcpEmbryonicTimeoutNs;
            case FlowState.TCP_ESTABLISHED -> tcpEstablishedTimeoutNs;
            case FlowState.TCP_CLOSING -> tcpClosingTimeoutNs;
            case FlowState.UDP -> udpTimeoutNs;
            case FlowState.ICMP -> icmpTimeoutNs;
            default -> throw new IllegalArgumentException("no timeout for state " + state);
        };
    }

    private static void checkTimeout(final String name, final long timeoutNs)
    {
        if (timeoutNs < TimeUnit.MILLISECONDS.toNanos(1) || timeoutNs > MAX_TIMEOUT_NS)
        {
            throw new IllegalArgumentException(name + " out of range [1 ms, 24 days]: " + timeoutNs);
        }
    }
}
