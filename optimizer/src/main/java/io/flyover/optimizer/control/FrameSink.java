package io.flyover.optimizer.control;

import org.agrona.DirectBuffer;

/**
 * Hands a whole backbone frame (outer IPv4 header first) to the data plane for sending, e.g.
 * {@code PopEngine::offerBackboneControlFrame}. Called on the control-plane thread only.
 */
@FunctionalInterface
public interface FrameSink
{
    /**
     * @param buffer holds the frame.
     * @param offset where it starts.
     * @param length its length.
     * @return true if queued, false under back pressure.
     */
    boolean offer(DirectBuffer buffer, int offset, int length);
}
