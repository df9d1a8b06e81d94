package io.flyover.nativeio;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class UdpBatchSocketTest
{
    private static final int BATCH = 16;

    record Received(String payload, int sourceAddress, int sourcePort, int destinationAddress)
    {
    }

    @Test
    void shouldSendBatchWithSendmmsgAndReceiveItWithRecvmmsgIntact()
    {
        try (UdpBatchSocket sender = UdpBatchSocket.open(Ipv4.LOOPBACK, 0, BATCH, 2048);
            UdpBatchSocket receiver = UdpBatchSocket.open(Ipv4.LOOPBACK, 0, BATCH, 2048))
        {
            final UnsafeBuffer payload = new UnsafeBuffer(new byte[2048]);
            for (int i = 0; i < BATCH; i++)
            {
                final byte[] bytes = ("datagram-" + i + "-" + "x".repeat(i * 50)).getBytes(StandardCharsets.US_ASCII);
                payload.putBytes(0, bytes);
                assertEquals(i + 1, sender.offer(payload, 0, bytes.length, Ipv4.LOOPBACK, receiver.localPort()));
            }
            assertEquals(FrameSender.BACK_PRESSURED, sender.offer(payload, 0, 10, Ipv4.LOOPBACK, receiver.localPort()));
            assertEquals(BATCH, sender.flush());
            assertEquals(0, sender.pending());

            final List<Received> received = receiveAll(receiver, BATCH);
            assertEquals(BATCH, received.size());
            for (int i = 0; i < BATCH; i++)
            {
                final Received r = received.get(i);
                assertEquals("datagram-" + i + "-" + "x".repeat(i * 50), r.payload());
                assertEquals(Ipv4.LOOPBACK, r.sourceAddress());
                assertEquals(sender.localPort(), r.sourcePort());
                assertEquals(Ipv4.LOOPBACK, r.destinationAddress());
            }
        }
    }

    @Test
    void shouldReportHeaderDestinationAddressOnWildcardSocket()
    {
        try (UdpBatchSocket sender = UdpBatchSocket.open(Ipv4.LOOPBACK, 0, 4, 256);
            UdpBatchSocket receiver = UdpBatchSocket.open(LinuxConstants.INADDR_ANY, 0, 4, 256))
        {
            final int otherLoopback = Ipv4.parse("127.0.0.2");
            final UnsafeBuffer payload = new UnsafeBuffer(new byte[]{1, 2, 3});
            sender.defaultDestination(otherLoopback, receiver.localPort());
            sender.offer(payload, 0, 3);
            assertEquals(1, sender.flush());

            final List<Received> received = receiveAll(receiver, 1);
            assertEquals(1, received.size());
            assertEquals(otherLoopback, received.get(0).destinationAddress());
        }
    }

    @Test
    void shouldSendFromChosenSourceAddressPerDatagram()
    {
        try (UdpBatchSocket sender = UdpBatchSocket.open(LinuxConstants.INADDR_ANY, 0, 4, 256);
            UdpBatchSocket receiver = UdpBatchSocket.open(Ipv4.LOOPBACK, 0, 4, 256))
        {
            final int vip = Ipv4.parse("127.0.0.3");
            final UnsafeBuffer payload = new UnsafeBuffer(new byte[]{'a', 'b'});
            assertEquals(1, sender.offerFrom(payload, 0, 1, vip, Ipv4.LOOPBACK, receiver.localPort()));
            assertEquals(2, sender.offer(payload, 1, 1, Ipv4.LOOPBACK, receiver.localPort()));
            assertEquals(2, sender.flush());

            final List<Received> received = receiveAll(receiver, 2);
            assertEquals(2, received.size());
            assertEquals(new Received("a", vip, sender.localPort(), Ipv4.LOOPBACK), received.get(0));
            assertEquals(new Received("b", Ipv4.LOOPBACK, sender.localPort(), Ipv4.LOOPBACK), received.get(1));
        }
    }

    @Test
    void shouldReturnZeroNotThrowWhenNothingIsWaiting()
    {
        try (UdpBatchSocket socket = UdpBatchSocket.open(Ipv4.LOOPBACK, 0, 4, 256))
        {
            assertEquals(0, socket.poll((buffer, offset, length) -> { }, 4));
            assertEquals(0, socket.flush());
        }
    }

    @Test
    void shouldDeliverDatagramLongerThanSlotTruncatedAndCountIt()
    {
        try (UdpBatchSocket sender = UdpBatchSocket.open(Ipv4.LOOPBACK, 0, 4, 1024);
            UdpBatchSocket receiver = UdpBatchSocket.open(Ipv4.LOOPBACK, 0, 4, 100))
        {
            final UnsafeBuffer payload = new UnsafeBuffer(new byte[300]);
            payload.setMemory(0, 300, (byte)'z');
            sender.offer(payload, 0, 300, Ipv4.LOOPBACK, receiver.localPort());
            assertEquals(1, sender.flush());

            final List<Received> received = receiveAll(receiver, 1);
            assertEquals("z".repeat(100), received.get(0).payload());
            assertEquals(1, receiver.truncatedDatagrams());
        }
    }

    @Test
    void shouldRefuseFrameLongerThanSlot()
    {
        try (UdpBatchSocket socket = UdpBatchSocket.open(Ipv4.LOOPBACK, 0, 4, 64))
        {
            assertEquals(FrameSender.FRAME_TOO_LARGE, socket.offer(new UnsafeBuffer(new byte[65]), 0, 65));
        }
    }

    @Test
    void shouldNameBindAndAddressAndErrnoWhenPortIsInUse()
    {
        try (UdpBatchSocket first = UdpBatchSocket.open(Ipv4.LOOPBACK, 0, 4, 256))
        {
            final NativeIoException ex = assertThrows(
                NativeIoException.class, () -> UdpBatchSocket.open(Ipv4.LOOPBACK, first.localPort(), 4, 256));
            assertEquals(Errno.EADDRINUSE, ex.errno());
            assertEquals(
                "bind on udp 127.0.0.1:" + first.localPort() + " failed: EADDRINUSE (98) Address already in use",
                ex.getMessage());
        }
    }

    static List<Received> receiveAll(final DatagramPort receiver, final int expected)
    {
        final List<Received> received = new ArrayList<>();
        final DatagramHandler handler = (buffer, offset, length, sourceAddress, sourcePort, destinationAddress) ->
            received.add(new Received(
                buffer.getStringWithoutLengthAscii(offset, length), sourceAddress, sourcePort, destinationAddress));
        final long deadlineNs = System.nanoTime() + 5_000_000_000L;
        while (received.size() < expected && System.nanoTime() - deadlineNs < 0)
        {
            final int n = receiver.receive(handler, expected - received.size());
            assertTrue(n >= 0, () -> "receive failed, errno " + Errno.name(receiver.receiveErrno()));
            if (0 == n)
            {
                Thread.onSpinWait();
            }
        }
        return received;
    }
}
