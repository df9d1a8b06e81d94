package io.flyover.dataplane.protocol;

/**
 * Outcome of parsing a packet. One enum for every header so a drop counter can be indexed by
 * {@link #id()}; ids and labels are stable (they appear in counter files, metrics and JSON).
 * New verdicts take new ids; an id is never reused.
 * <p>
 * {@link #OK} is the only non-error verdict. Every other verdict names the first fault found.
 */
public enum ParseVerdict
{
    OK(0, "ok"),

    // Ethernet and VLAN tags
    ETH_TRUNCATED(1, "eth_truncated"),
    VLAN_TRUNCATED(2, "vlan_truncated"),
    VLAN_TOO_MANY_TAGS(3, "vlan_too_many_tags"),
    ETHERTYPE_UNSUPPORTED(4, "ethertype_unsupported"),

    // IPv4
    IPV4_TRUNCATED(10, "ipv4_truncated"),
    IPV4_BAD_VERSION(11, "ipv4_bad_version"),
    IPV4_BAD_IHL(12, "ipv4_bad_ihl"),
    IPV4_BAD_TOTAL_LENGTH(13, "ipv4_bad_total_length"),
    IPV4_OPTION_OVERRUN(14, "ipv4_option_overrun"),
    IPV4_BAD_CHECKSUM(15, "ipv4_bad_checksum"),
    IPV4_FRAGMENT(16, "ipv4_fragment"),

    // IPv6
    IPV6_TRUNCATED(20, "ipv6_truncated"),
    IPV6_BAD_VERSION(21, "ipv6_bad_version"),
    IPV6_BAD_PAYLOAD_LENGTH(22, "ipv6_bad_payload_length"),
    IPV6_EXT_HEADER_OVERRUN(23, "ipv6_ext_header_overrun"),
    IPV6_EXT_CHAIN_TOO_LONG(24, "ipv6_ext_chain_too_long"),
    IPV6_FRAGMENT(25, "ipv6_fragment"),
    IPV6_HOP_BY_HOP_MISPLACED(26, "ipv6_hop_by_hop_misplaced"),

    // Transport
    L4_PROTOCOL_UNSUPPORTED(30, "l4_protocol_unsupported"),
    UDP_TRUNCATED(31, "udp_truncated"),
    UDP_BAD_LENGTH(32, "udp_bad_length"),
    TCP_TRUNCATED(33, "tcp_truncated"),
    TCP_BAD_DATA_OFFSET(34, "tcp_bad_data_offset"),
    TCP_OPTION_OVERRUN(35, "tcp_option_overrun"),
    ICMP_TRUNCATED(36, "icmp_truncated"),
    ICMP_QUOTE_TRUNCATED(37, "icmp_quote_truncated"),
    ICMP_QUOTE_MALFORMED(38, "icmp_quote_malformed"),
    ICMP_QUOTE_FRAGMENT(39, "icmp_quote_fragment"),

    // Geneve and the Flyover option
    GENEVE_TRUNCATED(40, "geneve_truncated"),
    GENEVE_BAD_VERSION(41, "geneve_bad_version"),
    GENEVE_OPTION_OVERRUN(42, "geneve_option_overrun"),
    GENEVE_PROTOCOL_UNSUPPORTED(43, "geneve_protocol_unsupported"),
    GENEVE_UNKNOWN_CRITICAL_OPTION(44, "geneve_unknown_critical_option"),
    FLYOVER_OPTION_MISSING(45, "flyover_option_missing"),
    FLYOVER_OPTION_BAD_LENGTH(46, "flyover_option_bad_length"),
    FLYOVER_OPTION_BAD_VERSION(47, "flyover_option_bad_version"),
    FLYOVER_OPTION_BAD_HOP_INDEX(48, "flyover_option_bad_hop_index"),
    FLYOVER_OPTION_BAD_ROUTE(49, "flyover_option_bad_route"),
    GENEVE_CRITICAL_FLAG_MISSING(50, "geneve_critical_flag_missing"),
    FLYOVER_OPTION_DUPLICATE(51, "flyover_option_duplicate"),

    // Flyover tunnel: verify and relay stages
    FLYOVER_UNKNOWN_KEY_ID(52, "flyover_unknown_key_id"),
    FLYOVER_BAD_TAG(53, "flyover_bad_tag"),
    FLYOVER_HOP_LIMIT_SPENT(54, "flyover_hop_limit_spent"),
    FLYOVER_NO_NEXT_HOP(55, "flyover_no_next_hop"),

    // Geneve: parse stage (added after the verify ids; ids are stable, so not renumbered)
    GENEVE_INNER_VERSION_MISMATCH(56, "geneve_inner_version_mismatch");

    private static final ParseVerdict[] BY_ID;

    static
    {
        int max = 0;
        for (final ParseVerdict v : values())
        {
            max = Math.max(max, v.id);
        }
        BY_ID = new ParseVerdict[max + 1];
        for (final ParseVerdict v : values())
        {
            if (null != BY_ID[v.id])
            {
                throw new IllegalStateException("duplicate parse verdict id " + v.id);
            }
            BY_ID[v.id] = v;
        }
    }

    private final int id;
    private final String label;

    ParseVerdict(final int id, final String label)
    {
        this.id = id;
        this.label = label;
    }

    /**
     * @return the stable numeric id of this verdict.
     */
    public int id()
    {
        return id;
    }

    /**
     * @return the stable label of this verdict, lower snake case.
     */
    public String label()
    {
        return label;
    }

    /**
     * @return the largest id in use; counter arrays are sized {@code maxId() + 1}.
     */
    public static int maxId()
    {
        return BY_ID.length - 1;
    }

    /**
     * @param id a verdict id.
     * @return the verdict with that id, or {@code null} if none has it.
     */
    public static ParseVerdict forId(final int id)
    {
        return id >= 0 && id < BY_ID.length ? BY_ID[id] : null;
    }
}
