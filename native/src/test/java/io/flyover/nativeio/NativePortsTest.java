package io.flyover.nativeio;

import io.flyover.dataplane.engine.Port;
import io.flyover.dataplane.protocol.Ipv4Flyweight;
import io.flyover.dataplane.protocol.UdpFlyweight;
import org.agrona.collections.Int2IntHashMap;
import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class NativePortsTest
{
    private static final int LOOPBACK_2 = 0x7F000002;

    @Test
    void shouldStripOuterHeadersOnSendAndSynthesizeThemOnReceive()
    {
        try (NativePorts.UdpBackbonePort a = open(Ipv4.LOOPBACK, false);
            NativePorts.UdpBackbonePort b = open(LOOPBACK_2, true))
        {
            final int bPort = localPort(b);
            final Int2IntHashMap ports = new Int2IntHashMap(NativePorts.NO_PORT);
            ports.put(0x7F000009, 6081);
            ports.put(LOOPBACK_2, bPort);
            a.peerPorts(ports);

            final byte[] geneve = {0, 0, 0x08, 0, 0, 0, 100, 0, 1, 2, 3, 4};
            final UnsafeBuffer frame = new UnsafeBuffer(new byte[256]);
            Ipv4Flyweight.writeHeader(frame, 0, 0, 28 + geneve.length, 0, 0, 64, 17, Ipv4.LOOPBACK, LOOPBACK_2);
            UdpFlyweight.srcPort(frame, 20, 0xBEEF);
            UdpFlyweight.dstPort(frame, 20, 6081);
            UdpFlyweight.length(frame, 20, 8 + geneve.length);
            frame.putBytes(28, geneve);
            assertTrue(a.offer(frame, 0, 28 + geneve.length) >= 0);
            assertEquals(1, a.flush());

            final List<byte[]> received = new ArrayList<>();
            final long deadlineNs = System.nanoTime() + 5_000_000_000L;
            while (received.isEmpty() && System.nanoTime() - deadlineNs < 0)
            {
                b.poll((buffer, offset, length) ->
                {
                    final byte[] copy = new byte[length];
                    buffer.getBytes(offset, copy);
                    received.add(copy);
                }, 8);
            }
            assertEquals(1, received.size());
            final UnsafeBuffer got = new UnsafeBuffer(received.get(0));
            assertEquals(28 + geneve.length, got.capacity());
            assertTrue(Ipv4Flyweight.isHeaderChecksumValid(got, 0, 20));
            assertEquals(Ipv4.LOOPBACK, Ipv4Flyweight.srcAddress(got, 0));
            assertEquals(LOOPBACK_2, Ipv4Flyweight.dstAddress(got, 0));
            assertEquals(17, Ipv4Flyweight.protocol(got, 0));
            assertEquals(28 + geneve.length, Ipv4Flyweight.totalLength(got, 0));
            final int sourcePort = UdpFlyweight.srcPort(got, 20);
            assertTrue(sourcePort >= localPort(a) && sourcePort < localPort(a) + 4, "pool source port " + sourcePort);
            assertEquals(6081, UdpFlyweight.dstPort(got, 20));
            assertEquals(8 + geneve.length, UdpFlyweight.length(got, 20));
            final byte[] payload = new byte[geneve.length];
            got.getBytes(28, payload);
            assertArrayEquals(geneve, payload);
        }
    }

    @Test
    void shouldRefuseFramesLongerThanTheSlots()
    {
        try (NativePorts.UdpBackbonePort a = open(Ipv4.LOOPBACK, false))
        {
            final UnsafeBuffer frame = new UnsafeBuffer(new byte[4096]);
            Ipv4Flyweight.writeHeader(frame, 0, 0, 4000, 0, 0, 64, 17, Ipv4.LOOPBACK, LOOPBACK_2);
            assertEquals(Port.FRAME_TOO_LARGE, a.offer(frame, 0, 4000));
        }
    }

    private static int localPort(final NativePorts.UdpBackbonePort port)
    {
        return port.pool().socket(0).localPort();
    }

    private static NativePorts.UdpBackbonePort open(final int address, final boolean nio)
    {
        NativeIoException last = null;
        for (int attempt = 0; attempt < 20; attempt++)
        {
            final int firstPort = 20_000 + ThreadLocalRandom.current().nextInt(20_000);
            try
            {
                final UdpSocketPool pool = nio ?
                    UdpSocketPool.openNio(address, firstPort, 4, 8, 2048) :
                    UdpSocketPool.openNative(address, firstPort, 4, 8, 2048);
                return NativePorts.udpBackbone("backbone", pool, address, 1500);
            }
            catch (final NativeIoException ex)
            {
                last = ex;
            }
        }
        throw last;
    }
}
