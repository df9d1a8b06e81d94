package io.flyover.nativeio;

import org.agrona.DirectBuffer;

/**
 * Send side of a port: the engine offers frames one by one and flushes once per duty cycle, so a
 * batching sender makes one system call per batch.
 * <p>
 * {@link #offer} copies the frame, so the caller's buffer is free again when it returns; a
 * sender may transmit at once (TUN, one {@code write} per packet) or at {@link #flush()}
 * ({@code sendmmsg}). Frames that the kernel could not take yet stay queued for the next flush;
 * a frame the kernel refuses for good (e.g. {@code EMSGSIZE}) is dropped, and flush reports
 * {@link #SEND_ERROR} with the errno in {@link #sendErrno()}. Nothing here blocks or throws per batch.
 * <p>
 * Owned by one thread (the port agent's).
 */
public interface FrameSender extends AutoCloseable
{
    /** The OS refused a frame for good (it was dropped); {@link #sendErrno()} says why. */
    int SEND_ERROR = -1;
    /** No room: the batch is full or the kernel queue is full; flush, or drop and count. */
    int BACK_PRESSURED = -2;
    /** The frame is longer than the sender's slots (or the device) can carry; not queued. */
    int FRAME_TOO_LARGE = -3;

    /**
     * @param buffer holds the frame.
     * @param offset where the frame starts.
     * @param length the frame's length in bytes.
     * @return 0 or more when taken (the frames now queued, 0 for a sender that sent at once), or
     *         {@link #BACK_PRESSURED}, {@link #FRAME_TOO_LARGE}, {@link #SEND_ERROR}.
     */
    int offer(DirectBuffer buffer, int offset, int length);

    /**
     * Transmit what is queued.
     *
     * @return frames the kernel took in this call (0 if none was queued or the kernel queue was
     *         full), or {@link #SEND_ERROR} if the kernel refused one (that frame was dropped; call
     *         again to send the rest).
     */
    int flush();

    /**
     * @return frames queued and not yet taken by the kernel.
     */
    int pending();

    /**
     * @return the errno of the last {@link #SEND_ERROR} this side returned, 0 if none yet.
     */
    int sendErrno();

    /**
     * Release the OS resources of the whole port (both sides); idempotent.
     */
    @Override
    void close();
}
