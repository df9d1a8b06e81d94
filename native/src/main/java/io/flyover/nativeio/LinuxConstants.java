package io.flyover.nativeio;

/**
 * Linux ABI constants used by the bindings, each named as in the header it comes from (x86_64
 * and the generic architectures; the values are the same on aarch64).
 * <p>
 * Stateless; any thread.
 */
public final class LinuxConstants
{
    // <bits/socket.h>, <linux/socket.h>
    /** {@code AF_INET}. */
    public static final int AF_INET = 2;
    /** {@code AF_PACKET}. */
    public static final int AF_PACKET = 17;

    // <bits/socket_type.h>
    /** {@code SOCK_DGRAM}. */
    public static final int SOCK_DGRAM = 2;
    /** {@code SOCK_RAW}. */
    public static final int SOCK_RAW = 3;
    /** {@code SOCK_NONBLOCK} (= {@code O_NONBLOCK}). */
    public static final int SOCK_NONBLOCK = 0x800;
    /** {@code SOCK_CLOEXEC} (= {@code O_CLOEXEC}). */
    public static final int SOCK_CLOEXEC = 0x80000;

    // <asm-generic/socket.h>
    /** {@code SOL_SOCKET}. */
    public static final int SOL_SOCKET = 1;
    /** {@code SO_REUSEADDR}. */
    public static final int SO_REUSEADDR = 2;
    /** {@code SO_ERROR}. */
    public static final int SO_ERROR = 4;
    /** {@code SO_SNDBUF}. */
    public static final int SO_SNDBUF = 7;
    /** {@code SO_RCVBUF}. */
    public static final int SO_RCVBUF = 8;
    /** {@code SO_REUSEPORT}. */
    public static final int SO_REUSEPORT = 15;

    // <linux/in.h>
    /** {@code IPPROTO_IP}: the socket option level for IPv4. */
    public static final int IPPROTO_IP = 0;
    /** {@code IPPROTO_UDP}. */
    public static final int IPPROTO_UDP = 17;
    /** {@code IP_PKTINFO}: deliver {@code struct in_pktinfo} (the header destination address) per datagram. */
    public static final int IP_PKTINFO = 8;
    /** {@code INADDR_ANY}. */
    public static final int INADDR_ANY = 0;

    // <bits/socket.h> message flags
    /** {@code MSG_TRUNC}: in {@code msg_flags}, the datagram was longer than the buffer. */
    public static final int MSG_TRUNC = 0x20;
    /** {@code MSG_DONTWAIT}: non-blocking for this call. */
    public static final int MSG_DONTWAIT = 0x40;
    /** {@code MSG_CTRUNC}: in {@code msg_flags}, control data was truncated. */
    public static final int MSG_CTRUNC = 0x08;

    // <linux/if_ether.h>
    /** {@code ETH_P_ALL}: every protocol (host order; the socket calls take it in network order). */
    public static final int ETH_P_ALL = 0x0003;
    /** {@code ETH_HLEN}: Ethernet header length. */
    public static final int ETH_HLEN = 14;

    // <linux/if_packet.h>
    /** {@code SOL_PACKET} (from {@code <linux/socket.h>}). */
    public static final int SOL_PACKET = 263;
    /** {@code PACKET_RX_RING}. */
    public static final int PACKET_RX_RING = 5;
    /** {@code PACKET_STATISTICS}: read {@code struct tpacket_stats_v3} (and reset it). */
    public static final int PACKET_STATISTICS = 6;
    /** {@code PACKET_VERSION}. */
    public static final int PACKET_VERSION = 10;
    /** {@code PACKET_TX_RING}. */
    public static final int PACKET_TX_RING = 13;
    /** {@code PACKET_QDISC_BYPASS}: transmit straight to the driver, skipping the qdisc layer. */
    public static final int PACKET_QDISC_BYPASS = 20;
    /** {@code PACKET_IGNORE_OUTGOING}: do not deliver packets this host transmits on the interface. */
    public static final int PACKET_IGNORE_OUTGOING = 23;
    /** {@code TPACKET_V3} (enum {@code tpacket_versions}). */
    public static final int TPACKET_V3 = 2;
    /** {@code TP_STATUS_KERNEL}: the block belongs to the kernel. */
    public static final int TP_STATUS_KERNEL = 0;
    /** {@code TP_STATUS_USER}: the block is filled and belongs to user space. */
    public static final int TP_STATUS_USER = 1;
    /** {@code TP_STATUS_LOSING}: packets were dropped since the last statistics read. */
    public static final int TP_STATUS_LOSING = 1 << 2;
    /** {@code TP_STATUS_CSUMNOTREADY}: the packet's TCP/UDP checksum is partial (offload, never done). */
    public static final int TP_STATUS_CSUMNOTREADY = 1 << 3;
    /** {@code TP_STATUS_BLK_TMO}: the block was retired by the timeout, not because it filled. */
    public static final int TP_STATUS_BLK_TMO = 1 << 5;
    /** {@code TPACKET_ALIGNMENT}. */
    public static final int TPACKET_ALIGNMENT = 16;
    /** {@code PACKET_OUTGOING}: {@code sll_pkttype} of a packet this host sent. */
    public static final int PACKET_OUTGOING = 4;

    // <linux/sockios.h>
    /** {@code ioctl} request: read an interface's hardware address into {@code ifr_hwaddr}. */
    public static final long SIOCGIFHWADDR = 0x8927L;

    // <linux/if_tun.h>
    /** {@code TUNSETIFF} = {@code _IOW('T', 202, int)}. */
    public static final long TUNSETIFF = 0x400454caL;
    /** {@code IFF_TUN}: layer 3 device, frames are IP packets. */
    public static final int IFF_TUN = 0x0001;
    /** {@code IFF_NO_PI}: no {@code struct tun_pi} prefix on each packet. */
    public static final int IFF_NO_PI = 0x1000;
    /** {@code IFF_MULTI_QUEUE}: one fd per queue, each opened with the same name. */
    public static final int IFF_MULTI_QUEUE = 0x0100;

    // <linux/if.h>
    /** {@code IFNAMSIZ}: interface name buffer size, including the terminating NUL. */
    public static final int IFNAMSIZ = 16;

    // <asm-generic/fcntl.h>
    /** {@code O_RDONLY}. */
    public static final int O_RDONLY = 0;
    /** {@code O_RDWR}. */
    public static final int O_RDWR = 2;
    /** {@code O_NONBLOCK}. */
    public static final int O_NONBLOCK = 0x800;
    /** {@code O_CLOEXEC}. */
    public static final int O_CLOEXEC = 0x80000;

    // <asm-generic/mman-common.h>
    /** {@code PROT_READ}. */
    public static final int PROT_READ = 1;
    /** {@code PROT_WRITE}. */
    public static final int PROT_WRITE = 2;
    /** {@code MAP_SHARED}. */
    public static final int MAP_SHARED = 1;
    /** {@code MAP_POPULATE}: prefault the mapping. */
    public static final int MAP_POPULATE = 0x8000;
    /** {@code MAP_FAILED}, as the address {@code mmap} returns. */
    public static final long MAP_FAILED = -1L;

    // <asm-generic/poll.h>
    /** {@code POLLIN}. */
    public static final short POLLIN = 0x1;
    /** {@code POLLOUT}. */
    public static final short POLLOUT = 0x4;
    /** {@code POLLERR}. */
    public static final short POLLERR = 0x8;

    // <linux/sched.h>
    /** {@code CLONE_NEWNET}: the namespace type for {@code setns}. */
    public static final int CLONE_NEWNET = 0x40000000;

    private LinuxConstants()
    {
    }
}
