package io.flyover.nativeio;

import org.agrona.MutableDirectBuffer;

/**
 * Called once per received UDP datagram by {@link DatagramPort#receive(DatagramHandler, int)},
 * with the addresses of that datagram. Addresses are IPv4 as an {@code int} in host order
 * ({@code 127.0.0.1} is {@code 0x7F000001}); ports are 0–65535.
 * <p>
 * The same lifetime rule as {@link FrameHandler}: the bytes are valid until the call returns.
 * Runs on the thread that calls {@code receive}.
 */
@FunctionalInterface
public interface DatagramHandler
{
    /**
     * @param buffer             the receiver's memory; the payload starts at {@code offset}.
     * @param offset             where the UDP payload starts.
     * @param length             payload length in bytes.
     * @param sourceAddress      the sender's IPv4 address.
     * @param sourcePort         the sender's port.
     * @param destinationAddress the datagram's destination IPv4 address (from {@code IP_PKTINFO}
     *                           where the port supports it, else the bound address, which may be 0).
     */
    void onDatagram(
        MutableDirectBuffer buffer, int offset, int length, int sourceAddress, int sourcePort, int destinationAddress);
}
