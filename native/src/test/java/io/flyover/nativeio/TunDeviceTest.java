package io.flyover.nativeio;

import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * TUN inside a namespace this test creates: a datagram routed into the device comes out of the fd
 * as an IP packet, and a packet written to the fd is delivered to a socket.
 */
class TunDeviceTest
{
    private static final int TUN_ADDRESS = Ipv4.parse("10.200.1.1");
    private static final int PEER_ADDRESS = Ipv4.parse("10.200.1.2");
    private static final int PEER_PORT = 7777;
    private static NetworkNamespace ns;

    @BeforeAll
    static void createNamespace()
    {
        if (NetworkNamespace.isRoot())
        {
            ns = NetworkNamespace.create();
        }
    }

    @AfterAll
    static void deleteNamespace()
    {
        if (null != ns)
        {
            ns.close();
        }
    }

    @Test
    void shouldNameTunsetiffAndInterfaceAndErrnoWhenNameIsInvalid()
    {
        final NativeIoException ex = assertThrows(NativeIoException.class, () -> TunDevice.open("bad/name", 1, 2048));
        if ("open".equals(ex.call()))
        {
            assertTrue(ex.getMessage().startsWith("open on /dev/net/tun failed: "), ex.getMessage());
        }
        else
        {
            // EINVAL with CAP_NET_ADMIN (the kernel rejects the '/'), EPERM without it
            assertTrue(
                ex.getMessage().equals("ioctl(TUNSETIFF) on bad/name failed: EINVAL (22) Invalid argument") ||
                ex.getMessage().equals("ioctl(TUNSETIFF) on bad/name failed: EPERM (1) Operation not permitted"),
                ex.getMessage());
        }
    }

    @Test
    void shouldRejectNameLongerThanIfnamsiz()
    {
        assertThrows(IllegalArgumentException.class, () -> TunDevice.open("sixteen-bytes-xx", 1, 2048));
    }

    @Test
    void shouldReadRoutedDatagramAsIpPacketAndDeliverWrittenPacketToSocket()
    {
        assumeTrue(null != ns, "needs root to create a network namespace and a TUN device (CI runs as root)");
        ns.call(() ->
        {
            try (TunDevice tun = TunDevice.open("fotun%d", 1, 2048))
            {
                ns.ip("addr", "add", Ipv4.format(TUN_ADDRESS) + "/30", "dev", tun.name());
                ns.ip("link", "set", tun.name(), "up");
                final TunQueue queue = tun.queue(0);
                try (UdpBatchSocket socket = UdpBatchSocket.open(TUN_ADDRESS, 0, 4, 2048);
                    ReadinessPoller poller = new ReadinessPoller(queue.fd()))
                {
                    final byte[] hello = "hello-tun".getBytes(StandardCharsets.US_ASCII);
                    socket.offer(new UnsafeBuffer(hello), 0, hello.length, PEER_ADDRESS, PEER_PORT);
                    assertEquals(1, socket.flush());

                    final List<byte[]> packets = new ArrayList<>();
                    final FrameHandler handler = (buffer, offset, length) ->
                    {
                        final boolean ours = length >= 28 &&
                            0x45 == (buffer.getByte(offset) & 0xFF) &&
                            17 == buffer.getByte(offset + 9) &&
                            PEER_ADDRESS == buffer.getInt(offset + 16, ByteOrder.BIG_ENDIAN) &&
                            PEER_PORT == (buffer.getShort(offset + 22, ByteOrder.BIG_ENDIAN) & 0xFFFF);
                        if (ours)
                        {
                            final byte[] copy = new byte[length];
                            buffer.getBytes(offset, copy);
                            packets.add(copy);
                        }
                    };
                    final long deadlineNs = System.nanoTime() + 5_000_000_000L;
                    while (packets.isEmpty() && System.nanoTime() - deadlineNs < 0)
                    {
                        if (0 == queue.poll(handler, 8))
                        {
                            poller.await(10);
                        }
                    }
                    assertEquals(1, packets.size());
                    final UnsafeBuffer packet = new UnsafeBuffer(packets.get(0));
                    assertEquals(20 + 8 + hello.length, packet.capacity());
                    assertEquals(TUN_ADDRESS, packet.getInt(12, ByteOrder.BIG_ENDIAN));
                    assertEquals(socket.localPort(), packet.getShort(20, ByteOrder.BIG_ENDIAN) & 0xFFFF);
                    assertEquals("hello-tun", packet.getStringWithoutLengthAscii(28, hello.length));

                    final byte[] reply = "reply-from-tun".getBytes(StandardCharsets.US_ASCII);
                    final UnsafeBuffer out = new UnsafeBuffer(
                        java.nio.ByteBuffer.allocateDirect(20 + 8 + reply.length));
                    writeUdpPacket(out, PEER_ADDRESS, PEER_PORT, TUN_ADDRESS, socket.localPort(), reply);
                    assertEquals(0, queue.offer(out, 0, out.capacity()));

                    final List<UdpBatchSocketTest.Received> received = UdpBatchSocketTest.receiveAll(socket, 1);
                    assertEquals(1, received.size());
                    assertEquals("reply-from-tun", received.get(0).payload());
                    assertEquals(PEER_ADDRESS, received.get(0).sourceAddress());
                    assertEquals(PEER_PORT, received.get(0).sourcePort());
                    assertEquals(TUN_ADDRESS, received.get(0).destinationAddress());
                }
            }
            return null;
        });
    }

    @Test
    void shouldSpreadFlowsOverQueuesOfMultiQueueDevice()
    {
        assumeTrue(null != ns, "needs root to create a network namespace and a TUN device (CI runs as root)");
        final int[] perQueue = ns.call(() ->
        {
            try (TunDevice tun = TunDevice.open("fomq0", 2, 2048))
            {
                assertEquals("fomq0", tun.name());
                assertEquals(2, tun.queueCount());
                assertNotEquals(tun.queue(0).fd(), tun.queue(1).fd());
                final int local = Ipv4.parse("10.200.2.1");
                final int peer = Ipv4.parse("10.200.2.2");
                ns.ip("addr", "add", Ipv4.format(local) + "/30", "dev", tun.name());
                ns.ip("link", "set", tun.name(), "up");
                try (UdpBatchSocket socket = UdpBatchSocket.open(local, 0, 32, 256);
                    ReadinessPoller poller = new ReadinessPoller(tun.queue(0).fd(), tun.queue(1).fd()))
                {
                    final UnsafeBuffer payload = new UnsafeBuffer(new byte[]{'m', 'q'});
                    for (int flow = 0; flow < 32; flow++)
                    {
                        socket.offer(payload, 0, 2, peer, 1000 + flow);
                    }
                    assertEquals(32, socket.flush());

                    final int[] counts = new int[2];
                    final long deadlineNs = System.nanoTime() + 5_000_000_000L;
                    while (counts[0] + counts[1] < 32 && System.nanoTime() - deadlineNs < 0)
                    {
                        for (int q = 0; q < 2; q++)
                        {
                            final int queueIndex = q;
                            tun.queue(q).poll((buffer, offset, length) ->
                            {
                                if (length >= 28 && 0x45 == (buffer.getByte(offset) & 0xFF) &&
                                    peer == buffer.getInt(offset + 16, ByteOrder.BIG_ENDIAN))
                                {
                                    counts[queueIndex]++;
                                }
                            }, 64);
                        }
                        poller.await(10);
                    }
                    return counts;
                }
            }
        });
        assertEquals(32, perQueue[0] + perQueue[1]);
        // the kernel picks a queue by flow hash: 32 flows all on one of 2 queues would be a 1 in 2^31 chance
        assertTrue(perQueue[0] > 0 && perQueue[1] > 0, "per queue " + perQueue[0] + ", " + perQueue[1]);
    }

    static void writeUdpPacket(
        final UnsafeBuffer out,
        final int source,
        final int sourcePort,
        final int destination,
        final int destinationPort,
        final byte[] payload)
    {
        final int totalLength = 20 + 8 + payload.length;
        out.putByte(0, (byte)0x45);
        out.putByte(1, (byte)0);
        out.putShort(2, (short)totalLength, ByteOrder.BIG_ENDIAN);
        out.putShort(4, (short)1, ByteOrder.BIG_ENDIAN);
        out.putShort(6, (short)0x4000, ByteOrder.BIG_ENDIAN);
        out.putByte(8, (byte)64);
        out.putByte(9, (byte)17);
        out.putShort(10, (short)0);
        out.putInt(12, source, ByteOrder.BIG_ENDIAN);
        out.putInt(16, destination, ByteOrder.BIG_ENDIAN);
        int sum = 0;
        for (int i = 0; i < 20; i += 2)
        {
            sum += out.getShort(i, ByteOrder.BIG_ENDIAN) & 0xFFFF;
        }
        while (0 != (sum >>> 16))
        {
            sum = (sum & 0xFFFF) + (sum >>> 16);
        }
        out.putShort(10, (short)~sum, ByteOrder.BIG_ENDIAN);
        out.putShort(20, (short)sourcePort, ByteOrder.BIG_ENDIAN);
        out.putShort(22, (short)destinationPort, ByteOrder.BIG_ENDIAN);
        out.putShort(24, (short)(8 + payload.length), ByteOrder.BIG_ENDIAN);
        out.putShort(26, (short)0);
        out.putBytes(28, payload);
    }
}
