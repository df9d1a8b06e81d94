package io.flyover.tools.config;

import io.flyover.dataplane.engine.ThreadingMode;

/**
 * How the gateway's agents are placed on threads.
 *
 * @param mode    DEDICATED (a thread per agent) or SHARED (all on one thread).
 * @param workers number of worker shards, 1..256, default 1.
 * @param idle    what idle threads do, default BACKOFF.
 */
public record ThreadsConfig(ThreadingMode mode, int workers, IdleMode idle)
{
    /**
     * The defaults: dedicated threads, one worker, backing off when idle.
     */
    public static final ThreadsConfig DEFAULT = new ThreadsConfig(ThreadingMode.DEDICATED, 1, IdleMode.BACKOFF);
}
