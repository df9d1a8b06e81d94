package io.flyover.nativeio;

import java.nio.charset.StandardCharsets;
import java.util.List;

import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class NioDatagramPortTest
{
    @Test
    void shouldSendBatchAndReceiveItIntactWithAddresses()
    {
        try (NioDatagramPort sender = NioDatagramPort.open(Ipv4.LOOPBACK, 0, 8, 1500);
            NioDatagramPort receiver = NioDatagramPort.open(Ipv4.LOOPBACK, 0, 8, 1500))
        {
            final UnsafeBuffer payload = new UnsafeBuffer(new byte[1500]);
            sender.defaultDestination(Ipv4.LOOPBACK, receiver.localPort());
            for (int i = 0; i < 8; i++)
            {
                final byte[] bytes = ("nio-" + i + "-" + "y".repeat(i * 100)).getBytes(StandardCharsets.US_ASCII);
                payload.putBytes(0, bytes);
                assertEquals(i + 1, sender.offer(payload, 0, bytes.length));
            }
            assertEquals(FrameSender.BACK_PRESSURED, sender.offer(payload, 0, 1));
            assertEquals(8, sender.flush());

            final List<UdpBatchSocketTest.Received> received = UdpBatchSocketTest.receiveAll(receiver, 8);
            assertEquals(8, received.size());
            for (int i = 0; i < 8; i++)
            {
                assertEquals("nio-" + i + "-" + "y".repeat(i * 100), received.get(i).payload());
                assertEquals(Ipv4.LOOPBACK, received.get(i).sourceAddress());
                assertEquals(sender.localPort(), received.get(i).sourcePort());
                assertEquals(Ipv4.LOOPBACK, received.get(i).destinationAddress());
            }
        }
    }

    @Test
    void shouldInteroperateWithNativeBatchSocket()
    {
        try (NioDatagramPort nio = NioDatagramPort.open(Ipv4.LOOPBACK, 0, 4, 512);
            UdpBatchSocket batch = UdpBatchSocket.open(Ipv4.LOOPBACK, 0, 4, 512))
        {
            final UnsafeBuffer payload = new UnsafeBuffer("ping".getBytes(StandardCharsets.US_ASCII));
            batch.offer(payload, 0, 4, Ipv4.LOOPBACK, nio.localPort());
            assertEquals(1, batch.flush());
            final List<UdpBatchSocketTest.Received> atNio = UdpBatchSocketTest.receiveAll(nio, 1);
            assertEquals("ping", atNio.get(0).payload());
            assertEquals(batch.localPort(), atNio.get(0).sourcePort());

            nio.offer(payload, 0, 4, Ipv4.LOOPBACK, batch.localPort());
            assertEquals(1, nio.flush());
            final List<UdpBatchSocketTest.Received> atBatch = UdpBatchSocketTest.receiveAll(batch, 1);
            assertEquals("ping", atBatch.get(0).payload());
            assertEquals(nio.localPort(), atBatch.get(0).sourcePort());
        }
    }

    @Test
    void shouldNameBindAndAddressWhenPortIsInUse()
    {
        try (NioDatagramPort first = NioDatagramPort.open(Ipv4.LOOPBACK, 0, 4, 256))
        {
            final NativeIoException ex = assertThrows(
                NativeIoException.class, () -> NioDatagramPort.open(Ipv4.LOOPBACK, first.localPort(), 4, 256));
            assertTrue(ex.getMessage().startsWith("bind on udp 127.0.0.1:" + first.localPort()), ex.getMessage());
        }
    }
}
