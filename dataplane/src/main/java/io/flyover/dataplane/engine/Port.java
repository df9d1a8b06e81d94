package io.flyover.dataplane.engine;

import org.agrona.DirectBuffer;

/**
 * Where frames enter and leave the engine: an OS device (TUN, AF_PACKET, UDP sockets) or an
 * in-memory queue. A port is used by one port agent thread at a time. Frames are raw IP packets
 * unless the port says it carries Ethernet.
 */
public interface Port extends AutoCloseable
{
    /**
     * Returned by {@link #offer} when the device cannot take the frame now; the caller counts a drop.
     */
    int BACK_PRESSURED = -2;

    /**
     * Returned by {@link #offer} when the frame is longer than the device carries.
     */
    int FRAME_TOO_LARGE = -3;

    /**
     * Returned by {@link #offer} when an Ethernet port knows no MAC address to send the frame to
     * (the neighbor is not resolved yet); the caller counts a drop.
     */
    int NO_NEIGHBOR = -4;

    /**
     * @return the port's name, e.g. {@code edge}, used in counters and logs.
     */
    String name();

    /**
     * @return {@code true} if frames start with an Ethernet header, {@code false} for raw IP.
     */
    boolean carriesEthernet();

    /**
     * Hands up to {@code limit} received frames to {@code handler}.
     *
     * @param handler told of each frame, in place.
     * @param limit   the most frames to take in this call.
     * @return frames received, 0 if none were waiting.
     */
    int poll(FrameHandler handler, int limit);

    /**
     * Queues or sends one frame; the port copies it before returning.
     *
     * @param buffer holds the frame.
     * @param offset where it starts.
     * @param length its length.
     * @return 0 or more on success, {@link #BACK_PRESSURED} or {@link #FRAME_TOO_LARGE}.
     */
    int offer(DirectBuffer buffer, int offset, int length);

    /**
     * Pushes queued frames to the device.
     *
     * @return frames sent.
     */
    int flush();

    @Override
    void close();
}
