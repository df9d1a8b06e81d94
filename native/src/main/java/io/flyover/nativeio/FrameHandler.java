package io.flyover.nativeio;

import org.agrona.MutableDirectBuffer;

/**
 * Called once per received frame by {@link FrameReceiver#poll(FrameHandler, int)}.
 * <p>
 * The bytes are the receiver's own memory (a ring slot or a receive slot), seen through one
 * buffer the receiver wrapped once: valid only until this call returns, and writable in place
 * (rewrite headers, then copy out or offer to a sender). Bind the handler to a field once; a
 * lambda created per poll would allocate.
 * <p>
 * Runs on the thread that calls {@code poll}.
 */
@FunctionalInterface
public interface FrameHandler
{
    /**
     * @param buffer the receiver's memory; the frame starts at {@code offset}.
     * @param offset where the frame starts in {@code buffer}.
     * @param length the frame's captured length in bytes.
     */
    void onFrame(MutableDirectBuffer buffer, int offset, int length);
}
