package io.flyover.optimizer.journal;

import io.flyover.optimizer.policy.PathWeights;

/**
 * Where the optimizer records its measurements (probe samples, link state) and its decisions
 * (path up/down, weight changes). Called on the optimizer thread only, never on the packet path.
 */
public interface OptimizerJournal extends AutoCloseable
{
    /** Records nothing. */
    OptimizerJournal NONE = new OptimizerJournal()
    {
    };

    /**
     * @param route packed route.
     * @param seq   probe sequence number.
     * @param rttNs measured RTT.
     * @param nowNs time of the answer, engine clock.
     */
    default void probeAnswered(final long route, final long seq, final long rttNs, final long nowNs)
    {
    }

    /**
     * @param route packed route.
     * @param seq   probe sequence number.
     * @param nowNs time the loss was declared.
     */
    default void probeLost(final long route, final long seq, final long nowNs)
    {
    }

    /**
     * @param fromPop POP that measured the link.
     * @param toPop   POP at its far end.
     * @param rttUs   RTT in microseconds.
     * @param lossPpm loss in parts per million (1,000,000: down).
     * @param nowNs   time received.
     */
    default void linkState(final int fromPop, final int toPop, final int rttUs, final int lossPpm, final long nowNs)
    {
    }

    /**
     * @param route packed route.
     * @param up    its new state.
     * @param nowNs time of the change.
     */
    default void pathState(final long route, final boolean up, final long nowNs)
    {
    }

    /**
     * @param weights new weights of one destination.
     * @param nowNs   time of the change.
     */
    default void weights(final PathWeights weights, final long nowNs)
    {
    }

    /**
     * Deletes what is older than the journal's retention; called by the control plane every
     * minute or so, on its thread, never on the packet path.
     *
     * @return whole files (roll cycles) deleted.
     */
    default int deleteExpired()
    {
        return 0;
    }

    @Override
    default void close()
    {
    }
}
