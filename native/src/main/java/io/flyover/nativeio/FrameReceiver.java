package io.flyover.nativeio;

/**
 * Receive side of a port: the one call a port agent's duty cycle makes to take frames from the OS.
 * <p>
 * A frame is what the port carries: an Ethernet frame (AF_PACKET), an IP packet (TUN) or a UDP
 * payload (UDP sockets). {@code poll} never blocks and never throws for an empty or busy queue.
 * <p>
 * Owned by one thread (the port agent's); the receive and send sides of one port may be owned by
 * two different threads.
 */
public interface FrameReceiver extends AutoCloseable
{
    /** The OS call failed; {@link #receiveErrno()} says why. */
    int RECEIVE_ERROR = -1;

    /**
     * Deliver up to {@code limit} waiting frames to {@code handler}, in arrival order.
     *
     * @param handler called once per frame, on this thread; see {@link FrameHandler} for the
     *                lifetime of the bytes.
     * @param limit   most frames to deliver in this call (at least 1).
     * @return frames delivered, 0 when none was waiting, or {@link #RECEIVE_ERROR}.
     */
    int poll(FrameHandler handler, int limit);

    /**
     * @return the errno of the last {@link #RECEIVE_ERROR} this side returned, 0 if none yet.
     */
    int receiveErrno();

    /**
     * @return the file descriptor to wait on (e.g. with {@code poll(2)}) when idle, or -1 when the
     *         port has none (the NIO fallback).
     */
    int fd();

    /**
     * Release the OS resources of the whole port (both sides); idempotent.
     */
    @Override
    void close();
}
