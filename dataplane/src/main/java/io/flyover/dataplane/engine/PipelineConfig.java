package io.flyover.dataplane.engine;

/**
 * Settings every worker's pipeline shares; immutable.
 *
 * @param pathMtu             largest outer packet the backbone carries, bytes (the inner limit is this less the encapsulation).
 * @param hopLimit            hop limit written into new tunnel packets.
 * @param flowHashKey         the deployment's flow-hash key, the same at every POP.
 * @param icmpErrorsPerSecond rate limit of generated ICMP errors per worker.
 */
public record PipelineConfig(int pathMtu, int hopLimit, long flowHashKey, int icmpErrorsPerSecond)
{
    /**
     * Validates the settings.
     */
    public PipelineConfig
    {
        if (pathMtu < 576 || pathMtu > 65_535)
        {
            throw new IllegalArgumentException("path MTU out of range 576..65535: " + pathMtu);
        }
        if (hopLimit < 1 || hopLimit > 255)
        {
            throw new IllegalArgumentException("hop limit out of range 1..255: " + hopLimit);
        }
        if (icmpErrorsPerSecond < 0)
        {
            throw new IllegalArgumentException("ICMP error rate must not be negative: " + icmpErrorsPerSecond);
        }
    }

    /**
     * Defaults: a 1500-byte backbone, hop limit 8, 100 ICMP errors per second per worker.
     *
     * @param flowHashKey the deployment's flow-hash key.
     * @return the settings.
     */
    public static PipelineConfig defaults(final long flowHashKey)
    {
        return new PipelineConfig(1500, 8, flowHashKey, 100);
    }
}
