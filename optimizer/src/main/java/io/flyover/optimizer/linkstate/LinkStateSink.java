package io.flyover.optimizer.linkstate;

/**
 * Receives link-state entries: one measured link between two POPs, as carried in probe messages.
 * Called on the optimizer thread.
 */
@FunctionalInterface
public interface LinkStateSink
{
    /** Loss value that means the link is down: the receiver forgets the link. */
    int LOSS_PPM_DOWN = 1_000_000;

    /**
     * @param fromPop  POP that measured the link.
     * @param toPop    POP at its far end.
     * @param rttUs    smoothed round-trip time of the link in microseconds, ≥ 0.
     * @param lossPpm  loss in parts per million, 0..1,000,000; {@link #LOSS_PPM_DOWN} means down.
     * @param nowNs    time of arrival on the receiver's clock.
     */
    void onLinkState(int fromPop, int toPop, int rttUs, int lossPpm, long nowNs);
}
