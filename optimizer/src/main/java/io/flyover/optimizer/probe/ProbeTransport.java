package io.flyover.optimizer.probe;

import org.agrona.DirectBuffer;

/**
 * Sends a probe message along a route. The real transport (Geneve OAM with the O bit set, the
 * reply going back with D = 1) lives elsewhere; tests and the simulator provide their own.
 * Called on the optimizer thread; must not keep the buffer after returning.
 */
@FunctionalInterface
public interface ProbeTransport
{
    /**
     * @param route  packed route (see {@code Route}) the message travels, ingress first.
     * @param buffer holds the message.
     * @param offset where it starts.
     * @param length its length in bytes.
     * @return true if handed to the network, false if it could not be (back pressure, no socket).
     */
    boolean send(long route, DirectBuffer buffer, int offset, int length);
}
