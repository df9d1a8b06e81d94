package io.flyover.tools.config;

/**
 * What an agent's thread does when a duty cycle found no work.
 */
public enum IdleMode
{
    /** Spin: lowest latency, one full core per thread. */
    BUSY_SPIN,
    /** Spin, then yield, then park with growing pauses: the default, and for shared hosts. */
    BACKOFF,
    /** Park for a fixed 1 ms: lowest CPU, highest latency. */
    SLEEP
}
