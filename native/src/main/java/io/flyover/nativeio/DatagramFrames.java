package io.flyover.nativeio;

import org.agrona.MutableDirectBuffer;

/**
 * Serves {@link FrameReceiver#poll} for a {@link DatagramPort}: receives datagrams and hands
 * each to a {@link FrameHandler} without its addresses. One per port, used by the port's
 * receiving thread; allocation-free.
 */
final class DatagramFrames implements DatagramHandler
{
    private FrameHandler frameHandler;

    /**
     * @param port    the port to receive from.
     * @param handler told of each datagram's payload, in place.
     * @param limit   the most datagrams to take.
     * @return what {@link DatagramPort#receive} returned.
     */
    int poll(final DatagramPort port, final FrameHandler handler, final int limit)
    {
        frameHandler = handler;
        try
        {
            return port.receive(this, limit);
        }
        finally
        {
            frameHandler = null;
        }
    }

    @Override
    public void onDatagram(
        final MutableDirectBuffer buffer,
        final int offset,
        final int length,
        final int sourceAddress,
        final int sourcePort,
        final int destinationAddress)
    {
        frameHandler.onFrame(buffer, offset, length);
    }
}
