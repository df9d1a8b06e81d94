package io.flyover.nativeio;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;

class ErrnoTest
{
    @Test
    void shouldFormatCallTargetErrnoNameNumberAndDescription()
    {
        assertEquals(
            "ioctl(TUNSETIFF) on tun0 failed: EPERM (1) Operation not permitted",
            Errno.message("ioctl(TUNSETIFF)", "tun0", Errno.EPERM));
    }

    @Test
    void shouldNameErrnosFromTheGenericTable()
    {
        assertEquals("EAGAIN", Errno.name(11));
        assertEquals("EADDRINUSE", Errno.name(98));
        assertEquals("ENOBUFS", Errno.name(105));
        assertEquals("EHWPOISON", Errno.name(133));
        assertEquals("errno 41", Errno.name(41));
        assertEquals("errno 9999", Errno.name(9999));
    }

    @Test
    void shouldCarryCallTargetAndErrnoInException()
    {
        final NativeIoException ex = new NativeIoException("bind", "udp 127.0.0.1:9", Errno.EACCES);
        assertEquals("bind", ex.call());
        assertEquals("udp 127.0.0.1:9", ex.target());
        assertEquals(Errno.EACCES, ex.errno());
        assertEquals("bind on udp 127.0.0.1:9 failed: EACCES (13) Permission denied", ex.getMessage());
    }

    @Test
    void shouldCaptureErrnoOfFailedCall()
    {
        try (SetupCalls setup = new SetupCalls())
        {
            assertEquals(-1, Libc.close(setup.errno, -1));
            assertEquals(Errno.EBADF, Libc.errno(setup.errno));
        }
    }
}
