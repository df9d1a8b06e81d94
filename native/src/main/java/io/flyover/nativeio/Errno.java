package io.flyover.nativeio;

/**
 * Linux errno numbers and their symbolic names (x86_64 and the generic table, from
 * {@code asm-generic/errno-base.h} and {@code asm-generic/errno.h}), and the message format every
 * OS failure in this package uses: {@code "<call> on <target> failed: <NAME> (<number>) <strerror>"}.
 * <p>
 * Stateless; any thread.
 */
public final class Errno
{
    /** {@code EPERM}: operation not permitted. */
    public static final int EPERM = 1;
    /** {@code ENOENT}: no such file or directory. */
    public static final int ENOENT = 2;
    /** {@code EINTR}: interrupted system call. */
    public static final int EINTR = 4;
    /** {@code EIO}: input/output error. */
    public static final int EIO = 5;
    /** {@code EBADF}: bad file descriptor. */
    public static final int EBADF = 9;
    /** {@code EAGAIN} (= {@code EWOULDBLOCK}): the non-blocking call would block. */
    public static final int EAGAIN = 11;
    /** {@code ENOMEM}: out of memory. */
    public static final int ENOMEM = 12;
    /** {@code EACCES}: permission denied. */
    public static final int EACCES = 13;
    /** {@code EBUSY}: device or resource busy. */
    public static final int EBUSY = 16;
    /** {@code ENODEV}: no such device. */
    public static final int ENODEV = 19;
    /** {@code EINVAL}: invalid argument. */
    public static final int EINVAL = 22;
    /** {@code EMSGSIZE}: message too long. */
    public static final int EMSGSIZE = 90;
    /** {@code EADDRINUSE}: address already in use. */
    public static final int EADDRINUSE = 98;
    /** {@code ENETDOWN}: network is down. */
    public static final int ENETDOWN = 100;
    /** {@code ENOBUFS}: no buffer space available (a full device queue on send). */
    public static final int ENOBUFS = 105;
    /** {@code ECONNREFUSED}: connection refused (an ICMP port unreachable came back). */
    public static final int ECONNREFUSED = 111;

    private static final String[] NAMES =
    {
        null, // 0
        "EPERM", // 1
        "ENOENT", // 2
        "ESRCH", // 3
        "EINTR", // 4
        "EIO", // 5
        "ENXIO", // 6
        "E2BIG", // 7
        "ENOEXEC", // 8
        "EBADF", // 9
        "ECHILD", // 10
        "EAGAIN", // 11
        "ENOMEM", // 12
        "EACCES", // 13
        "EFAULT", // 14
        "ENOTBLK", // 15
        "EBUSY", // 16
        "EEXIST", // 17
        "EXDEV", // 18
        "ENODEV", // 19
        "ENOTDIR", // 20
        "EISDIR", // 21
        "EINVAL", // 22
        "ENFILE", // 23
        "EMFILE", // 24
        "ENOTTY", // 25
        "ETXTBSY", // 26
        "EFBIG", // 27
        "ENOSPC", // 28
        "ESPIPE", // 29
        "EROFS", // 30
        "EMLINK", // 31
        "EPIPE", // 32
        "EDOM", // 33
        "ERANGE", // 34
        "EDEADLK", // 35
        "ENAMETOOLONG", // 36
        "ENOLCK", // 37
        "ENOSYS", // 38
        "ENOTEMPTY", // 39
        "ELOOP", // 40
        null, // 41
        "ENOMSG", // 42
        "EIDRM", // 43
        "ECHRNG", // 44
        "EL2NSYNC", // 45
        "EL3HLT", // 46
        "EL3RST", // 47
        "ELNRNG", // 48
        "EUNATCH", // 49
        "ENOCSI", // 50
        "EL2HLT", // 51
        "EBADE", // 52
        "EBADR", // 53
        "EXFULL", // 54
        "ENOANO", // 55
        "EBADRQC", // 56
        "EBADSLT", // 57
        null, // 58
        "EBFONT", // 59
        "ENOSTR", // 60
        "ENODATA", // 61
        "ETIME", // 62
        "ENOSR", // 63
        "ENONET", // 64
        "ENOPKG", // 65
        "EREMOTE", // 66
        "ENOLINK", // 67
        "EADV", // 68
        "ESRMNT", // 69
        "ECOMM", // 70
        "EPROTO", // 71
        "EMULTIHOP", // 72
        "EDOTDOT", // 73
        "EBADMSG", // 74
        "EOVERFLOW", // 75
        "ENOTUNIQ", // 76
        "EBADFD", // 77
        "EREMCHG", // 78
        "ELIBACC", // 79
        "ELIBBAD", // 80
        "ELIBSCN", // 81
        "ELIBMAX", // 82
        "ELIBEXEC", // 83
        "EILSEQ", // 84
        "ERESTART", // 85
        "ESTRPIPE", // 86
        "EUSERS", // 87
        "ENOTSOCK", // 88
        "EDESTADDRREQ", // 89
        "EMSGSIZE", // 90
        "EPROTOTYPE", // 91
        "ENOPROTOOPT", // 92
        "EPROTONOSUPPORT", // 93
        "ESOCKTNOSUPPORT", // 94
        "EOPNOTSUPP", // 95
        "EPFNOSUPPORT", // 96
        "EAFNOSUPPORT", // 97
        "EADDRINUSE", // 98
        "EADDRNOTAVAIL", // 99
        "ENETDOWN", // 100
        "ENETUNREACH", // 101
        "ENETRESET", // 102
        "ECONNABORTED", // 103
        "ECONNRESET", // 104
        "ENOBUFS", // 105
        "EISCONN", // 106
        "ENOTCONN", // 107
        "ESHUTDOWN", // 108
        "ETOOMANYREFS", // 109
        "ETIMEDOUT", // 110
        "ECONNREFUSED", // 111
        "EHOSTDOWN", // 112
        "EHOSTUNREACH", // 113
        "EALREADY", // 114
        "EINPROGRESS", // 115
        "ESTALE", // 116
        "EUCLEAN", // 117
        "ENOTNAM", // 118
        "ENAVAIL", // 119
        "EISNAM", // 120
        "EREMOTEIO", // 121
        "EDQUOT", // 122
        "ENOMEDIUM", // 123
        "EMEDIUMTYPE", // 124
        "ECANCELED", // 125
        "ENOKEY", // 126
        "EKEYEXPIRED", // 127
        "EKEYREVOKED", // 128
        "EKEYREJECTED", // 129
        "EOWNERDEAD", // 130
        "ENOTRECOVERABLE", // 131
        "ERFKILL", // 132
        "EHWPOISON", // 133
    };

    private Errno()
    {
    }

    /**
     * @param errno an errno value.
     * @return its symbolic name, e.g. {@code "EPERM"}, or {@code "errno <n>"} when unknown.
     */
    public static String name(final int errno)
    {
        final String name = errno > 0 && errno < NAMES.length ? NAMES[errno] : null;
        return null != name ? name : "errno " + errno;
    }

    /**
     * @param errno an errno value.
     * @return the C library's description of it ({@code strerror}), e.g. "Operation not permitted".
     */
    public static String description(final int errno)
    {
        return Libc.strerror(errno);
    }

    /**
     * Format a failure the way every exception in this package does.
     *
     * @param call   the call, with the request in parentheses where it helps, e.g. {@code "ioctl(TUNSETIFF)"}.
     * @param target what it acted on: an interface name, a socket address, a path.
     * @param errno  the errno the call left.
     * @return e.g. {@code "ioctl(TUNSETIFF) on tun0 failed: EPERM (1) Operation not permitted"}.
     */
    public static String message(final String call, final String target, final int errno)
    {
        return call + " on " + target + " failed: " + name(errno) + " (" + errno + ") " + description(errno);
    }
}
