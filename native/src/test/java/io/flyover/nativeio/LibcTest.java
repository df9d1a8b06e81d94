package io.flyover.nativeio;

import java.nio.ByteOrder;

import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class LibcTest
{
    private static final int MAP_PRIVATE = 0x02;
    private static final int MAP_ANONYMOUS = 0x20;

    @Test
    void shouldSendWithSendtoAndReceiveWithRecvfromOnLoopback()
    {
        try (SetupCalls setup = new SetupCalls();
            UdpBatchSocket receiver = UdpBatchSocket.open(Ipv4.LOOPBACK, 0, 1, 256))
        {
            final int fd = setup.check(
                Libc.socket(setup.errno, LinuxConstants.AF_INET, LinuxConstants.SOCK_DGRAM, 0), "socket", "test");
            try
            {
                final UnsafeBuffer scratch = new UnsafeBuffer(setup.allocate(256).address(), 256);
                UdpBatchSocket.writeSockaddrIn(scratch, 0, Ipv4.LOOPBACK, receiver.localPort());
                scratch.putStringWithoutLengthAscii(64, "sendto");
                assertEquals(6, Libc.sendto(
                    setup.errno, fd, scratch.addressOffset() + 64, 6, 0, scratch.addressOffset(), 16));

                final int[] got = new int[1];
                final long deadlineNs = System.nanoTime() + 5_000_000_000L;
                while (0 == got[0] && System.nanoTime() - deadlineNs < 0)
                {
                    receiver.receive((buffer, offset, length, source, sourcePort, destination) ->
                    {
                        assertEquals("sendto", buffer.getStringWithoutLengthAscii(offset, length));
                        got[0]++;
                    }, 1);
                }
                assertEquals(1, got[0]);

                // and back, read with recvfrom, which fills in the sender's address
                final UnsafeBuffer reply = new UnsafeBuffer(new byte[]{'o', 'k'});
                final UnsafeBuffer name = new UnsafeBuffer(setup.allocate(32).address(), 32);
                scratch.putInt(128, 16);
                assertEquals(0, Libc.getsockname(setup.errno, fd, name.addressOffset(), scratch.addressOffset() + 128));
                final int senderPort = name.getShort(SocketLayouts.SIN_PORT_BE_OFFSET, ByteOrder.BIG_ENDIAN) & 0xFFFF;
                receiver.offer(reply, 0, 2, Ipv4.LOOPBACK, senderPort);
                assertEquals(1, receiver.flush());
                scratch.putInt(128, 16);
                final long length = Libc.recvfrom(
                    setup.errno, fd, scratch.addressOffset() + 64, 64, 0, name.addressOffset(), scratch.addressOffset() + 128);
                assertEquals(2, length);
                assertEquals("ok", scratch.getStringWithoutLengthAscii(64, 2));
                assertEquals(receiver.localPort(), name.getShort(SocketLayouts.SIN_PORT_BE_OFFSET, ByteOrder.BIG_ENDIAN) & 0xFFFF);
            }
            finally
            {
                Libc.close(setup.errno, fd);
            }
        }
    }

    @Test
    void shouldMapAndUnmapAnonymousMemory()
    {
        try (SetupCalls setup = new SetupCalls())
        {
            final long address = Libc.mmap(setup.errno, 0L, 1 << 16, LinuxConstants.PROT_READ | LinuxConstants.PROT_WRITE,
                MAP_PRIVATE | MAP_ANONYMOUS, -1, 0L);
            assertNotEquals(LinuxConstants.MAP_FAILED, address);
            final UnsafeBuffer mapped = new UnsafeBuffer(address, 1 << 16);
            mapped.putLong(8, 0x1122334455667788L);
            assertEquals(0x1122334455667788L, mapped.getLong(8));
            assertEquals(0, Libc.munmap(setup.errno, address, 1 << 16));
        }
    }

    @Test
    void shouldReportErrnoOfIoctlAndSetsockoptOnBadDescriptor()
    {
        try (SetupCalls setup = new SetupCalls())
        {
            assertEquals(-1, Libc.ioctl(setup.errno, -1, LinuxConstants.TUNSETIFF, 0L));
            assertEquals(Errno.EBADF, Libc.errno(setup.errno));
            assertEquals(-1, Libc.setsockopt(setup.errno, -1, LinuxConstants.SOL_SOCKET, LinuxConstants.SO_RCVBUF, 0L, 4));
            assertEquals(Errno.EBADF, Libc.errno(setup.errno));
            assertEquals(-1, Libc.write(setup.errno, -1, 0L, 0L));
            assertEquals(Errno.EBADF, Libc.errno(setup.errno));
        }
    }

    @Test
    void shouldCarryNegativeArgumentsAndFailureResultsOfEveryWidthUnchanged()
    {
        try (SetupCalls setup = new SetupCalls())
        {
            assertEquals(-1, Libc.close(setup.errno, -1));
            assertEquals(Errno.EBADF, Libc.errno(setup.errno));
            assertEquals(-1L, Libc.read(setup.errno, -1, 0L, 0L));
            assertEquals(Errno.EBADF, Libc.errno(setup.errno));
            assertEquals(-1, Libc.sendmmsg(setup.errno, -1, 0L, 0, 0));
            assertEquals(Errno.EBADF, Libc.errno(setup.errno));
            assertEquals(-1, Libc.setns(setup.errno, -1, 0));
            assertEquals(Errno.EBADF, Libc.errno(setup.errno));
            assertEquals(0, Libc.ifNameToIndex(setup.errno, setup.cString("flyover-none0")));
            assertEquals(Errno.ENODEV, Libc.errno(setup.errno));
            assertEquals(LinuxConstants.MAP_FAILED, Libc.mmap(setup.errno, 0L, 0L, LinuxConstants.PROT_READ,
                MAP_PRIVATE | MAP_ANONYMOUS, -1, 0L));
            assertEquals(Errno.EINVAL, Libc.errno(setup.errno));
        }
    }

    @Test
    void shouldResolveLoopbackInterfaceIndexAndReadSocketOption()
    {
        try (SetupCalls setup = new SetupCalls();
            UdpBatchSocket socket = UdpBatchSocket.open(Ipv4.LOOPBACK, 0, 1, 64))
        {
            assertTrue(Libc.ifNameToIndex(setup.errno, setup.cString("lo")) > 0);
            assertTrue(setup.getIntOption(socket.fd(), LinuxConstants.SOL_SOCKET, LinuxConstants.SO_RCVBUF,
                "getsockopt(SO_RCVBUF)", "test") > 0);
        }
    }

    @Test
    void shouldTimeOutPollWithNothingToRead()
    {
        try (UdpBatchSocket socket = UdpBatchSocket.open(Ipv4.LOOPBACK, 0, 1, 64);
            ReadinessPoller poller = new ReadinessPoller(socket.fd()))
        {
            assertEquals(0, poller.await(1));
            assertTrue(!poller.isReady(0));
        }
    }
}
