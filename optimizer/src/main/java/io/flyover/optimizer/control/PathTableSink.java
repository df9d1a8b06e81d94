package io.flyover.optimizer.control;

import io.flyover.dataplane.table.PathTable;

import java.util.Map;

/**
 * Where the control plane hands the path tables it computed: by egress POP id, only for the
 * destinations the optimizer has live weights for; every other destination keeps its static
 * (configured) table. The owner merges them into a forwarding snapshot and publishes it.
 * Called on the control-plane thread.
 */
public interface PathTableSink
{
    /**
     * @param optimizerTables path tables by egress POP id (immutable); empty when the optimizer
     *                        knows nothing live and the static tables should serve alone.
     */
    void publish(Map<Integer, PathTable> optimizerTables);

    /**
     * Called every duty cycle, for sinks that must notice snapshots published by someone else.
     *
     * @return work done.
     */
    default int poll()
    {
        return 0;
    }
}
