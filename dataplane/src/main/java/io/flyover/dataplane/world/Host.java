package io.flyover.dataplane.world;

import org.agrona.DirectBuffer;

/**
 * An end host of the in-memory world: a client behind a POP's edge or a backend behind its
 * origin. The world hands it the packets addressed to it and it answers through its
 * {@link Wire}. Single-threaded, like the world.
 */
public interface Host
{
    /**
     * Where a host sends its packets: the edge or origin port of the POP it sits behind.
     */
    @FunctionalInterface
    interface Wire
    {
        /**
         * @param buffer holds a raw IP packet.
         * @param offset where it starts.
         * @param length its length.
         * @return {@code false} if the port's inbound ring was full.
         */
        boolean send(DirectBuffer buffer, int offset, int length);
    }

    /**
     * @return the host's IPv4 address.
     */
    int address();

    /**
     * A packet addressed to this host arrived.
     *
     * @param buffer holds the raw IP packet, valid during the call.
     * @param offset where it starts.
     * @param length its length.
     * @param wire   where answers go.
     */
    void onPacket(DirectBuffer buffer, int offset, int length, Wire wire);
}
