package io.flyover.tools.config;

/**
 * The per-shard flow table.
 *
 * @param capacityPerShard entries per worker shard, a power of two, 1024..268435456, default 1048576.
 * @param timeouts         idle timeouts.
 */
public record FlowTableConfig(int capacityPerShard, FlowTimeouts timeouts)
{
    /**
     * The default capacity per shard: 1M entries.
     */
    public static final int DEFAULT_CAPACITY = 1 << 20;

    /**
     * The defaults.
     */
    public static final FlowTableConfig DEFAULT = new FlowTableConfig(DEFAULT_CAPACITY, FlowTimeouts.DEFAULT);
}
