package io.flyover.dataplane.engine;

import org.agrona.DirectBuffer;

/**
 * Receives frames from a {@link Port}, in place: the bytes are valid only during the call.
 * Implementations are bound once to a field, so polling allocates nothing.
 */
@FunctionalInterface
public interface FrameHandler
{
    /**
     * @param buffer holds the frame.
     * @param offset where the frame starts.
     * @param length frame length in bytes.
     */
    void onFrame(DirectBuffer buffer, int offset, int length);
}
