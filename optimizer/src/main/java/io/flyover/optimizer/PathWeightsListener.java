package io.flyover.optimizer;

import io.flyover.optimizer.policy.PathWeights;

/**
 * Receives new path weights for a destination, to be turned into a path table and published.
 * Called on the optimizer thread.
 */
@FunctionalInterface
public interface PathWeightsListener
{
    /**
     * @param weights the destination's new weights; immutable.
     * @param nowNs   current time.
     */
    void onPathWeights(PathWeights weights, long nowNs);
}
