package io.flyover.nativeio;

import io.flyover.dataplane.engine.Port;
import io.flyover.dataplane.protocol.Ipv4Flyweight;
import io.flyover.dataplane.protocol.UdpFlyweight;
import io.flyover.dataplane.world.IpPackets;
import org.agrona.collections.Int2IntHashMap;
import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.DatagramChannel;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * An {@link EthernetPort} on one end of a veth pair between two namespaces this test creates; the
 * kernel of the other namespace is the far host, with real UDP sockets, ARP and routes. Frames the
 * far kernel sends arrive at the engine side as raw IP; raw IP the engine side sends reaches the
 * far sockets framed to the MAC from the local kernel's neighbor table.
 */
class EthernetPortTest
{
    private static final String LOCAL_IF = "fo-eth0";
    private static final String FAR_IF = "fo-eth1";
    private static final String LOCAL = "10.91.0.1";
    private static final String FAR = "10.91.0.2";
    private static final String VIP = "203.0.113.10";
    private static final long TIMEOUT_NS = TimeUnit.SECONDS.toNanos(10);

    private static NetworkNamespace local;
    private static NetworkNamespace far;

    @BeforeAll
    static void createTwoNamespacesJoinedByVeth()
    {
        if (!NetworkNamespace.isRoot())
        {
            return;
        }
        local = NetworkNamespace.create();
        far = NetworkNamespace.create();
        NetworkNamespace.run(NetworkNamespace.ipCommand(), "link", "add", LOCAL_IF, "netns", local.name(), "type", "veth",
            "peer", "name", FAR_IF, "netns", far.name());
        local.ip("address", "add", LOCAL + "/24", "dev", LOCAL_IF);
        local.ip("link", "set", LOCAL_IF, "up");
        far.ip("address", "add", FAR + "/24", "dev", FAR_IF);
        far.ip("link", "set", FAR_IF, "up");
        far.ip("route", "add", "203.0.113.0/24", "via", LOCAL);
    }

    @AfterAll
    static void deleteNamespaces()
    {
        if (null != local)
        {
            local.close();
        }
        if (null != far)
        {
            far.close();
        }
    }

    @Test
    void shouldUnframeIpFromTheWireAndFrameRepliesToTheNeighborTheKernelLearned() throws Exception
    {
        assumeTrue(null != local, "needs root to create network namespaces and a veth pair (CI runs as root)");
        local.ip("neigh", "flush", "dev", LOCAL_IF);
        far.ip("neigh", "flush", "dev", FAR_IF);
        final EthernetPort port = local.call(
            () -> EthernetPort.ip("edge", AfPacketPort.open(AfPacketConfig.defaults(LOCAL_IF)), 0, MacAddress.NONE));
        try (DatagramChannel client = far.call(() -> bound(FAR, 40_000)))
        {
            far.call(() ->
            {
                for (int i = 0; i < 3; i++)
                {
                    client.send(ascii("hello " + i), new InetSocketAddress(VIP, 53));
                }
                return null;
            });

            final List<byte[]> packets = local.call(() -> receive(port, 3));
            for (int i = 0; i < 3; i++)
            {
                final UnsafeBuffer packet = new UnsafeBuffer(packets.get(i));
                assertEquals(4, Ipv4Flyweight.version(packet, 0));
                assertEquals(Ipv4.parse(FAR), Ipv4Flyweight.srcAddress(packet, 0));
                assertEquals(Ipv4.parse(VIP), Ipv4Flyweight.dstAddress(packet, 0));
                assertEquals("hello " + i, new String(packets.get(i), 28, packets.get(i).length - 28, StandardCharsets.US_ASCII));
            }
            assertTrue(port.notForUs() >= 1, "the far host's ARP broadcast is left to the kernel and counted");

            // the local kernel answered that ARP request and so holds the far host's MAC
            final int sent = local.call(() ->
            {
                port.neighbors(NeighborTable.read(NeighborTable.THREAD_TABLE, LOCAL_IF));
                final UnsafeBuffer reply = new UnsafeBuffer(new byte[256]);
                final UnsafeBuffer payload = new UnsafeBuffer(ascii("reply").array());
                final int length = IpPackets.udp4(
                    reply, 0, Ipv4.parse(VIP), 53, Ipv4.parse(FAR), 40_000, payload, 0, payload.capacity());
                final int result = port.offer(reply, 0, length);
                port.flush();
                return result;
            });
            assertTrue(sent >= 0, "offer result " + sent);
            final ByteBuffer received = ByteBuffer.allocate(64);
            final InetSocketAddress from = far.call(() -> receiveOne(client, received));
            assertEquals(new InetSocketAddress(VIP, 53), from);
            assertEquals("reply", new String(received.array(), 0, received.position(), StandardCharsets.US_ASCII));

            // an on-link address nobody answers for: refused, counted, noted for resolution
            final int refused = local.call(() ->
            {
                final UnsafeBuffer packet = new UnsafeBuffer(new byte[64]);
                final int length = IpPackets.udp4(
                    packet, 0, Ipv4.parse(VIP), 53, Ipv4.parse("10.91.0.77"), 40_000, packet, 0, 0);
                return port.offer(packet, 0, length);
            });
            assertEquals(Port.NO_NEIGHBOR, refused);
            assertEquals(1, port.unresolved());
            assertEquals(Ipv4.parse("10.91.0.77"), port.unresolvedAddress());
        }
        finally
        {
            local.call(() ->
            {
                port.close();
                return null;
            });
        }
    }

    @Test
    void shouldPassOnlyGeneveToTheBackboneAndSendToEachPeersConfiguredPort() throws Exception
    {
        assumeTrue(null != local, "needs root to create network namespaces and a veth pair (CI runs as root)");
        final EthernetPort port = local.call(() -> EthernetPort.backbone(
            "backbone", AfPacketPort.open(AfPacketConfig.defaults(LOCAL_IF)), Ipv4.parse(LOCAL), 6081, 0, MacAddress.NONE));
        try (DatagramChannel peer = far.call(() -> bound(FAR, 7081)))
        {
            far.call(() ->
            {
                peer.send(ascii("geneve 1"), new InetSocketAddress(LOCAL, 6081));
                peer.send(ascii("not ours"), new InetSocketAddress(LOCAL, 7000));
                peer.send(ascii("geneve 2"), new InetSocketAddress(LOCAL, 6081));
                return null;
            });
            final List<byte[]> packets = local.call(() -> receive(port, 2));
            assertEquals("geneve 1", new String(packets.get(0), 28, 8, StandardCharsets.US_ASCII));
            assertEquals("geneve 2", new String(packets.get(1), 28, 8, StandardCharsets.US_ASCII));
            final long deadline = System.nanoTime() + TIMEOUT_NS;
            while (port.hostTraffic() < 1 && System.nanoTime() < deadline)
            {
                Thread.sleep(1);
            }
            assertEquals(1, port.hostTraffic(), "UDP to another port is the host's traffic");

            final Int2IntHashMap ports = new Int2IntHashMap(NativePorts.NO_PORT);
            ports.put(Ipv4.parse(FAR), 7081);
            port.peerPorts(ports);
            final int result = local.call(() ->
            {
                port.neighbors(NeighborTable.read(NeighborTable.THREAD_TABLE, LOCAL_IF));
                assertNotEquals(MacAddress.NONE, NeighborTable.read(NeighborTable.THREAD_TABLE, LOCAL_IF).lookup(Ipv4.parse(FAR)));
                final UnsafeBuffer frame = new UnsafeBuffer(new byte[256]);
                final UnsafeBuffer payload = new UnsafeBuffer(ascii("tunnel").array());
                final int length = IpPackets.udp4(
                    frame, 0, Ipv4.parse(LOCAL), 50_000, Ipv4.parse(FAR), 6081, payload, 0, payload.capacity());
                UdpFlyweight.checksum(frame, Ipv4Flyweight.MIN_HEADER_LENGTH, 0);
                final int offered = port.offer(frame, 0, length);
                port.flush();
                return offered;
            });
            assertTrue(result >= 0, "offer result " + result);
            final ByteBuffer received = ByteBuffer.allocate(64);
            final InetSocketAddress from = far.call(() -> receiveOne(peer, received));
            assertEquals(new InetSocketAddress(LOCAL, 50_000), from);
            assertEquals("tunnel", new String(received.array(), 0, received.position(), StandardCharsets.US_ASCII));
        }
        finally
        {
            local.call(() ->
            {
                port.close();
                return null;
            });
        }
    }

    private static DatagramChannel bound(final String address, final int port) throws Exception
    {
        final DatagramChannel channel = DatagramChannel.open();
        channel.bind(new InetSocketAddress(address, port));
        channel.configureBlocking(false);
        return channel;
    }

    private static ByteBuffer ascii(final String text)
    {
        return ByteBuffer.wrap(text.getBytes(StandardCharsets.US_ASCII));
    }

    private static List<byte[]> receive(final EthernetPort port, final int count) throws InterruptedException
    {
        final List<byte[]> packets = new ArrayList<>();
        final long deadline = System.nanoTime() + TIMEOUT_NS;
        while (packets.size() < count && System.nanoTime() < deadline)
        {
            if (0 == port.poll((buffer, offset, length) ->
            {
                final byte[] copy = new byte[length];
                buffer.getBytes(offset, copy);
                packets.add(copy);
            }, 16))
            {
                Thread.sleep(1);
            }
        }
        assertEquals(count, packets.size(), "packets delivered to the engine side");
        return packets;
    }

    private static InetSocketAddress receiveOne(final DatagramChannel channel, final ByteBuffer into) throws Exception
    {
        final long deadline = System.nanoTime() + TIMEOUT_NS;
        while (System.nanoTime() < deadline)
        {
            final InetSocketAddress from = (InetSocketAddress)channel.receive(into);
            if (null != from)
            {
                return from;
            }
            Thread.sleep(1);
        }
        throw new AssertionError("nothing arrived at " + channel.getLocalAddress());
    }
}
