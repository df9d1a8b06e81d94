package io.flyover.dataplane.protocol;

/**
 * Golden packets, hand-specified field by field and serialised by a separate, deliberately naive Python
 * implementation of the headers and of RFC 1071 ({@code src/test/golden/golden_packets.py}, sharing no
 * code with Flyover's). Every checksum was then checked by Wireshark's dissectors (tshark 4.0.17,
 * {@code ip/udp/tcp.check_checksum:TRUE}, ICMP and ICMPv6 always checked): all "Good" (bar the truncated
 * TCP header quoted inside the packet-too-big, whose checksum covers bytes the quote leaves out). Field
 * values are listed beside each vector and asserted by the tests.
 */
final class GoldenPackets
{
    /**
     * IPv4 192.168.0.1 -> 192.168.0.199, id 0x1c46, DF, TTL 64, header checksum 0x9c6a;
     * UDP 12345 -> 53, length 16, checksum 0x84e4, payload "flyover!".
     */
    static final String IPV4_UDP =
        "450000241c46400040119c6ac0a80001c0a800c7" +
        "30390035001084e4" + "666c796f76657221";

    /**
     * IPv4 10.0.0.1 -> 10.0.0.2, id 0xbeef, DF, TTL 64, checksum 0x67ca;
     * TCP SYN 40000 -> 443, seq 0x11223344, data offset 10, window 64240, checksum 0x52a5,
     * options MSS 1460, SACK permitted, timestamps (0x01020304, 0), NOP, window scale 7.
     */
    static final String IPV4_TCP_SYN =
        "4500003cbeef4000400667ca0a0000010a000002" +
        "9c4001bb1122334400000000a002faf052a50000" +
        "020405b40402080a010203040000000001030307";

    /**
     * IPv4 10.0.0.1 -> 10.0.0.2, id 0x0102, no flags, TTL 64, checksum 0x65d5;
     * ICMP echo request id 0x1234 seq 1, checksum 0x5435, data "abcdefgh".
     */
    static final String IPV4_ICMP_ECHO =
        "4500002401020000400165d50a0000010a000002" +
        "0800543512340001" + "6162636465666768";

    /**
     * IPv4 192.0.2.1 -> 192.168.0.1, TOS 0xc0, id 1, TTL 255, checksum 0x3859;
     * ICMP destination unreachable / fragmentation needed, checksum 0x4221, next-hop MTU 1400,
     * quoting the first 28 bytes of {@link #IPV4_UDP} (IP header + UDP header).
     */
    static final String IPV4_ICMP_FRAG_NEEDED =
        "45c0003800010000ff013859c0000201c0a80001" +
        "0304422100000578" +
        "450000241c46400040119c6ac0a80001c0a800c7" + "30390035001084e4";

    /**
     * IPv4 with IHL 8: 10.1.0.1 -> 10.2.0.1, id 0x4242, TTL 64, checksum 0x196c, options NOP,
     * record route (length 7, pointer 4, one empty slot), end of list, padding;
     * UDP 5000 -> 6081, length 16, checksum 0x4622, payload "geneve..".
     */
    static final String IPV4_OPTIONS_UDP =
        "48000030424200004011196c0a0100010a020001" +
        "010707040000000000000000" +
        "138817c100104622" + "67656e6576652e2e";

    /**
     * IPv6 2001:db8::1 -> 2001:db8::2, traffic class 0, flow label 0x12345, hop limit 64;
     * UDP 12345 -> 53, length 16, checksum 0xab88, payload "flyover!".
     */
    static final String IPV6_UDP =
        "600123450010114020010db800000000000000000000000120010db80000000000000000" + "00000002" +
        "303900350010ab88" + "666c796f76657221";

    /**
     * IPv6 2001:db8::1 -> 2001:db8::2, payload length 60, next header hop-by-hop; then
     * hop-by-hop (PadN 4) -> destination options (PadN 4) -> routing (type 253, segments left 0)
     * -> fragment (atomic: offset 0, M clear, id 0xcafebabe) -> TCP SYN 40000 -> 443,
     * seq 0x11223344, data offset 7, window 64240, checksum 0x4a6c, options MSS 1440, NOP, NOP,
     * SACK permitted.
     */
    static final String IPV6_EXT_TCP =
        "60012345003c004020010db800000000000000000000000120010db80000000000000000" + "00000002" +
        "3c00010400000000" + "2b00010400000000" + "2c00fd0000000000" + "06000000cafebabe" +
        "9c4001bb11223344000000007002faf04a6c0000" + "020405a001010402";

    /**
     * IPv6 2001:db8::1 -> 2001:db8::2; ICMPv6 echo request id 0x1234 seq 1, checksum 0x8075,
     * data "abcdefgh".
     */
    static final String IPV6_ICMPV6_ECHO =
        "6001234500103a4020010db800000000000000000000000120010db80000000000000000" + "00000002" +
        "8000807512340001" + "6162636465666768";

    /**
     * IPv6 2001:db8::ff -> 2001:db8::1, flow label 0; ICMPv6 packet too big, checksum 0x1f36,
     * MTU 1280, quoting an IPv6 header (2001:db8::1 -> 2001:db8::2, next header TCP) and the first
     * 20 bytes of a TCP header 40000 -> 443.
     */
    static final String IPV6_ICMPV6_PTB =
        "6000000000443a4020010db80000000000000000000000ff20010db80000000000000000" + "00000001" +
        "02001f3600000500" +
        "60012345001c064020010db800000000000000000000000120010db80000000000000000" + "00000002" +
        "9c4001bb11223344000000007002faf04a6c0000";

    /**
     * IPv6 2001:db8::1 -> 2001:db8::2, next header AH; AH next header UDP, payload length 4
     * (24 bytes), SPI 0x100, sequence 7, 12-byte zero ICV; then the UDP datagram of {@link #IPV6_UDP}.
     */
    static final String IPV6_AH_UDP =
        "600123450028334020010db800000000000000000000000120010db80000000000000000" + "00000002" +
        "110400000000010000000007000000000000000000000000" +
        "303900350010ab88666c796f76657221";

    /**
     * Ethernet 02:00:00:00:00:02 -> 02:00:00:00:00:01, EtherType IPv4, then {@link #IPV4_UDP}.
     */
    static final String ETH_IPV4_UDP = "020000000001020000000002" + "0800" + IPV4_UDP;

    /**
     * Ethernet with one 802.1Q tag (PCP 5, VLAN 100), then {@link #IPV4_UDP}.
     */
    static final String ETH_DOT1Q_IPV4_UDP = "020000000001020000000002" + "8100a064" + "0800" + IPV4_UDP;

    /**
     * Ethernet with an 802.1ad service tag (PCP 3, DEI, VLAN 200) and an 802.1Q customer tag (VLAN 300),
     * then {@link #IPV6_UDP}.
     */
    static final String ETH_QINQ_IPV6_UDP =
        "020000000001020000000002" + "88a870c8" + "8100012c" + "86dd" + IPV6_UDP;

    private GoldenPackets()
    {
    }
}
