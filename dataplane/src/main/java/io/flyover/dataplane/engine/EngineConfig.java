package io.flyover.dataplane.engine;

import io.flyover.dataplane.flow.FlowTableConfig;

/**
 * The shape of one POP's engine; immutable.
 *
 * @param workers      worker shards.
 * @param ringSlots    slots per ring between port agents and workers, a power of two.
 * @param slotSize     bytes per ring slot, a power of two; frames up to {@code slotSize - 128} fit.
 * @param batchSize    frames an agent takes from a ring or port per duty cycle.
 * @param flowTable    each worker's flow table.
 * @param pipeline     pipeline settings.
 * @param shardKey     key of the shard hash (local to this POP).
 * @param flowTableKey seed of the flow tables' own hash (local to this POP).
 * @param eventRingBytes bytes of the events ring toward the control plane, a power of two.
 */
public record EngineConfig(
    int workers,
    int ringSlots,
    int slotSize,
    int batchSize,
    FlowTableConfig flowTable,
    PipelineConfig pipeline,
    long shardKey,
    long flowTableKey,
    int eventRingBytes)
{
    /**
     * Validates the shape.
     */
    public EngineConfig
    {
        if (workers < 1 || workers > 64)
        {
            throw new IllegalArgumentException("workers out of range 1..64: " + workers);
        }
        if (batchSize < 1 || batchSize > ringSlots)
        {
            throw new IllegalArgumentException("batch size out of range 1..ringSlots: " + batchSize);
        }
    }
}
