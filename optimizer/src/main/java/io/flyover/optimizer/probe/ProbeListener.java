package io.flyover.optimizer.probe;

/**
 * Receives what the {@link Prober} learns per path, after its own estimator and failure detector
 * have been updated. Called on the optimizer thread. All methods default to doing nothing.
 */
public interface ProbeListener
{
    /**
     * @param route  packed route.
     * @param seq    probe sequence number.
     * @param sendNs when it was sent.
     * @param rttNs  round-trip time, the reflector's residence time removed.
     * @param nowNs  current time.
     */
    default void onProbeAnswered(final long route, final long seq, final long sendNs, final long rttNs, final long nowNs)
    {
    }

    /**
     * @param route  packed route.
     * @param seq    probe sequence number.
     * @param sendNs when it was sent.
     * @param nowNs  when the loss was declared.
     */
    default void onProbeLost(final long route, final long seq, final long sendNs, final long nowNs)
    {
    }

    /**
     * @param route packed route.
     * @param up    new state.
     * @param nowNs time of the transition.
     */
    default void onPathStateChange(final long route, final boolean up, final long nowNs)
    {
    }
}
