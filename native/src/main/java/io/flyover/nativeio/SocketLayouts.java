package io.flyover.nativeio;

import java.lang.foreign.MemoryLayout;
import java.lang.foreign.StructLayout;

import static java.lang.foreign.MemoryLayout.PathElement.groupElement;
import static java.lang.foreign.ValueLayout.ADDRESS;
import static java.lang.foreign.ValueLayout.JAVA_BYTE;
import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_LONG;
import static java.lang.foreign.ValueLayout.JAVA_SHORT;

/**
 * Layouts of the socket structs the bindings fill off-heap (LP64 Linux), declared as named
 * {@link MemoryLayout}s, with {@code *_OFFSET} constants derived from them for the hot path.
 * Multi-byte fields are in native (little-endian) order unless the name says {@code BE}
 * (network order).
 * <p>
 * Stateless; any thread.
 */
public final class SocketLayouts
{
    /** {@code struct sockaddr_in} from {@code <linux/in.h>}: 16 bytes. */
    public static final StructLayout SOCKADDR_IN = MemoryLayout.structLayout(
        JAVA_SHORT.withName("sin_family"),
        JAVA_SHORT.withName("sin_port"),
        JAVA_INT.withName("sin_addr"),
        MemoryLayout.sequenceLayout(8, JAVA_BYTE).withName("sin_zero")).withName("sockaddr_in");

    /** {@code struct sockaddr_ll} from {@code <linux/if_packet.h>}: 20 bytes. */
    public static final StructLayout SOCKADDR_LL = MemoryLayout.structLayout(
        JAVA_SHORT.withName("sll_family"),
        JAVA_SHORT.withName("sll_protocol"),
        JAVA_INT.withName("sll_ifindex"),
        JAVA_SHORT.withName("sll_hatype"),
        JAVA_BYTE.withName("sll_pkttype"),
        JAVA_BYTE.withName("sll_halen"),
        MemoryLayout.sequenceLayout(8, JAVA_BYTE).withName("sll_addr")).withName("sockaddr_ll");

    /** {@code struct iovec} from {@code <bits/types/struct_iovec.h>}: 16 bytes. */
    public static final StructLayout IOVEC = MemoryLayout.structLayout(
        ADDRESS.withName("iov_base"),
        JAVA_LONG.withName("iov_len")).withName("iovec");

    /** {@code struct msghdr} from {@code <bits/socket.h>}: 56 bytes. */
    public static final StructLayout MSGHDR = MemoryLayout.structLayout(
        ADDRESS.withName("msg_name"),
        JAVA_INT.withName("msg_namelen"),
        MemoryLayout.paddingLayout(4),
        ADDRESS.withName("msg_iov"),
        JAVA_LONG.withName("msg_iovlen"),
        ADDRESS.withName("msg_control"),
        JAVA_LONG.withName("msg_controllen"),
        JAVA_INT.withName("msg_flags"),
        MemoryLayout.paddingLayout(4)).withName("msghdr");

    /** {@code struct mmsghdr} from {@code <bits/socket.h>}: 64 bytes. */
    public static final StructLayout MMSGHDR = MemoryLayout.structLayout(
        MSGHDR.withName("msg_hdr"),
        JAVA_INT.withName("msg_len"),
        MemoryLayout.paddingLayout(4)).withName("mmsghdr");

    /** {@code struct cmsghdr} from {@code <bits/socket.h>}: 16 bytes, data follows. */
    public static final StructLayout CMSGHDR = MemoryLayout.structLayout(
        JAVA_LONG.withName("cmsg_len"),
        JAVA_INT.withName("cmsg_level"),
        JAVA_INT.withName("cmsg_type")).withName("cmsghdr");

    /** {@code struct in_pktinfo} from {@code <linux/in.h>}: 12 bytes. */
    public static final StructLayout IN_PKTINFO = MemoryLayout.structLayout(
        JAVA_INT.withName("ipi_ifindex"),
        JAVA_INT.withName("ipi_spec_dst"),
        JAVA_INT.withName("ipi_addr")).withName("in_pktinfo");

    /** {@code struct ifreq} from {@code <linux/if.h>}: a 16-byte name and a 24-byte union: 40 bytes. */
    public static final StructLayout IFREQ = MemoryLayout.structLayout(
        MemoryLayout.sequenceLayout(16, JAVA_BYTE).withName("ifr_name"),
        MemoryLayout.unionLayout(
            JAVA_SHORT.withName("ifr_flags"),
            JAVA_INT.withName("ifr_ifindex"),
            MemoryLayout.sequenceLayout(24, JAVA_BYTE).withName("ifr_map")).withName("ifr_ifru"))
        .withName("ifreq");

    /** {@code struct pollfd} from {@code <asm-generic/poll.h>}: 8 bytes. */
    public static final StructLayout POLLFD = MemoryLayout.structLayout(
        JAVA_INT.withName("fd"),
        JAVA_SHORT.withName("events"),
        JAVA_SHORT.withName("revents")).withName("pollfd");

    /** {@code sin_family}. */
    public static final int SIN_FAMILY_OFFSET = offset(SOCKADDR_IN, "sin_family");
    /** {@code sin_port}, BE. */
    public static final int SIN_PORT_BE_OFFSET = offset(SOCKADDR_IN, "sin_port");
    /** {@code sin_addr}, BE. */
    public static final int SIN_ADDR_BE_OFFSET = offset(SOCKADDR_IN, "sin_addr");

    /** {@code sll_family}. */
    public static final int SLL_FAMILY_OFFSET = offset(SOCKADDR_LL, "sll_family");
    /** {@code sll_protocol}, BE. */
    public static final int SLL_PROTOCOL_BE_OFFSET = offset(SOCKADDR_LL, "sll_protocol");
    /** {@code sll_ifindex}. */
    public static final int SLL_IFINDEX_OFFSET = offset(SOCKADDR_LL, "sll_ifindex");
    /** {@code sll_pkttype}. */
    public static final int SLL_PKTTYPE_OFFSET = offset(SOCKADDR_LL, "sll_pkttype");

    /** {@code iov_base}. */
    public static final int IOV_BASE_OFFSET = offset(IOVEC, "iov_base");
    /** {@code iov_len}. */
    public static final int IOV_LEN_OFFSET = offset(IOVEC, "iov_len");

    /** {@code msg_hdr.msg_name} in an {@code mmsghdr}. */
    public static final int MSG_NAME_OFFSET = offset(MMSGHDR, "msg_hdr", "msg_name");
    /** {@code msg_hdr.msg_namelen} in an {@code mmsghdr}. */
    public static final int MSG_NAMELEN_OFFSET = offset(MMSGHDR, "msg_hdr", "msg_namelen");
    /** {@code msg_hdr.msg_iov} in an {@code mmsghdr}. */
    public static final int MSG_IOV_OFFSET = offset(MMSGHDR, "msg_hdr", "msg_iov");
    /** {@code msg_hdr.msg_iovlen} in an {@code mmsghdr}. */
    public static final int MSG_IOVLEN_OFFSET = offset(MMSGHDR, "msg_hdr", "msg_iovlen");
    /** {@code msg_hdr.msg_control} in an {@code mmsghdr}. */
    public static final int MSG_CONTROL_OFFSET = offset(MMSGHDR, "msg_hdr", "msg_control");
    /** {@code msg_hdr.msg_controllen} in an {@code mmsghdr}. */
    public static final int MSG_CONTROLLEN_OFFSET = offset(MMSGHDR, "msg_hdr", "msg_controllen");
    /** {@code msg_hdr.msg_flags} in an {@code mmsghdr}. */
    public static final int MSG_FLAGS_OFFSET = offset(MMSGHDR, "msg_hdr", "msg_flags");
    /** {@code msg_len} in an {@code mmsghdr}: bytes sent or received for that message. */
    public static final int MSG_LEN_OFFSET = offset(MMSGHDR, "msg_len");

    /** {@code cmsg_len}. */
    public static final int CMSG_LEN_OFFSET = offset(CMSGHDR, "cmsg_len");
    /** {@code cmsg_level}. */
    public static final int CMSG_LEVEL_OFFSET = offset(CMSGHDR, "cmsg_level");
    /** {@code cmsg_type}. */
    public static final int CMSG_TYPE_OFFSET = offset(CMSGHDR, "cmsg_type");
    /** {@code CMSG_DATA}: where the data starts, {@code CMSG_ALIGN(sizeof(struct cmsghdr))}. */
    public static final int CMSG_DATA_OFFSET = (int)CMSGHDR.byteSize();
    /** {@code CMSG_SPACE(sizeof(struct in_pktinfo))}: room for one {@code IP_PKTINFO} message. */
    public static final int CMSG_SPACE_IN_PKTINFO = CMSG_DATA_OFFSET + align((int)IN_PKTINFO.byteSize(), 8);
    /** {@code ipi_ifindex}. */
    public static final int IPI_IFINDEX_OFFSET = offset(IN_PKTINFO, "ipi_ifindex");
    /** {@code ipi_spec_dst}, BE: on send, the source address to use. */
    public static final int IPI_SPEC_DST_BE_OFFSET = offset(IN_PKTINFO, "ipi_spec_dst");
    /** {@code ipi_addr}, BE: the header destination address. */
    public static final int IPI_ADDR_BE_OFFSET = offset(IN_PKTINFO, "ipi_addr");

    /** {@code ifr_name}. */
    public static final int IFR_NAME_OFFSET = offset(IFREQ, "ifr_name");
    /** {@code ifr_flags}. */
    public static final int IFR_FLAGS_OFFSET = offset(IFREQ, "ifr_ifru", "ifr_flags");
    /** {@code ifr_hwaddr.sa_data}: a {@code struct sockaddr} in the union, its 2-byte family first. */
    public static final int IFR_HWADDR_DATA_OFFSET = offset(IFREQ, "ifr_ifru") + 2;

    /** {@code fd} in a {@code pollfd}. */
    public static final int POLLFD_FD_OFFSET = offset(POLLFD, "fd");
    /** {@code events} in a {@code pollfd}. */
    public static final int POLLFD_EVENTS_OFFSET = offset(POLLFD, "events");
    /** {@code revents} in a {@code pollfd}. */
    public static final int POLLFD_REVENTS_OFFSET = offset(POLLFD, "revents");

    private SocketLayouts()
    {
    }

    static int offset(final MemoryLayout layout, final String... path)
    {
        final MemoryLayout.PathElement[] elements = new MemoryLayout.PathElement[path.length];
        for (int i = 0; i < path.length; i++)
        {
            elements[i] = groupElement(path[i]);
        }
        return (int)layout.byteOffset(elements);
    }

    static int align(final int value, final int alignment)
    {
        return (value + alignment - 1) & -alignment;
    }
}
