package io.flyover.nativeio;

import org.agrona.DirectBuffer;

/**
 * A UDP socket as a port: batches of datagrams in and out, with per-datagram addresses. The
 * Linux implementation is {@link UdpBatchSocket} ({@code recvmmsg}/{@code sendmmsg}); the
 * portable one is {@link NioDatagramPort}. IPv4.
 * <p>
 * {@link #offer(DirectBuffer, int, int)} without an address sends to the
 * {@link #defaultDestination(int, int) default destination}.
 * <p>
 * Receive side and send side are each owned by one thread.
 */
public interface DatagramPort extends FrameReceiver, FrameSender
{
    /**
     * Deliver up to {@code limit} waiting datagrams with their addresses.
     *
     * @param handler called once per datagram.
     * @param limit   most datagrams to deliver.
     * @return datagrams delivered, 0 when none was waiting, or {@link FrameReceiver#RECEIVE_ERROR}.
     */
    int receive(DatagramHandler handler, int limit);

    /**
     * Queue a datagram to a given destination; see {@link FrameSender#offer(DirectBuffer, int, int)}.
     *
     * @param buffer             holds the payload.
     * @param offset             where the payload starts.
     * @param length             payload length.
     * @param destinationAddress IPv4 address, host order.
     * @param destinationPort    port.
     * @return as {@link FrameSender#offer(DirectBuffer, int, int)}.
     */
    int offer(DirectBuffer buffer, int offset, int length, int destinationAddress, int destinationPort);

    /**
     * Set where {@link #offer(DirectBuffer, int, int)} sends. Setup time, send-side thread.
     *
     * @param address IPv4 address, host order.
     * @param port    port.
     */
    void defaultDestination(int address, int port);

    /**
     * @return the bound local IPv4 address, host order (0 for the wildcard).
     */
    int localAddress();

    /**
     * @return the bound local port.
     */
    int localPort();
}
