package io.flyover.dataplane.counters;

import io.flyover.dataplane.protocol.ParseVerdict;

import java.util.Arrays;

/**
 * Why the pipeline dropped a packet. Every drop has exactly one reason and there is no catch-all:
 * a new way to drop gets a new reason. Ids and labels are stable (they appear in the counters
 * file, metrics and JSON); new reasons take new ids and an id is never reused.
 * <p>
 * Drop ids form one space, {@code 0 <= id < ID_LIMIT}, that indexes a worker's drop counters:
 * <ul>
 *   <li>{@code 1..63}: the reasons of this enum;</li>
 *   <li>{@code 64..191}: parse faults, {@code PARSE_FAULT_ID_BASE + ParseVerdict.id()}, labelled
 *   {@code parse_} and the verdict's label, for every {@link ParseVerdict} but {@code OK} and
 *   the two fragment verdicts, which count as {@link #FRAGMENT_V4} and {@link #FRAGMENT_V6}
 *   (fragments are dropped for their own reason, not as malformed packets).</li>
 * </ul>
 * {@link #idOf(ParseVerdict)} maps a verdict to its drop id without allocating.
 */
public enum DropReason
{
    /** Destination is no VIP, protocol or port of a service. */
    NO_SERVICE(1, "no_service"),
    /** An IPv4 fragment (not reassembled, for now). */
    FRAGMENT_V4(2, "fragment_v4"),
    /** An IPv6 fragment (not reassembled, for now). */
    FRAGMENT_V6(3, "fragment_v6"),
    /** A new flow found no slot in the flow table. */
    FLOW_TABLE_FULL(4, "flow_table_full"),
    /** Over the service's bandwidth cap. */
    POLICE_EXCEEDED(5, "police_exceeded"),
    /** Encapsulated, the packet would exceed the path MTU (an ICMP error may have been sent instead). */
    MTU_EXCEEDED(6, "mtu_exceeded"),
    /** Backbone packet whose tag does not verify. */
    TUNNEL_BAD_TAG(7, "tunnel_bad_tag"),
    /** Backbone packet naming a key id this POP does not hold. */
    TUNNEL_UNKNOWN_KEY(8, "tunnel_unknown_key"),
    /** Backbone packet from an underlay address that is no known POP. */
    TUNNEL_UNKNOWN_PEER(9, "tunnel_unknown_peer"),
    /** Backbone packet whose hop limit is spent. */
    TUNNEL_HOP_LIMIT(10, "tunnel_hop_limit"),
    /** Backbone packet whose VNI names no service. */
    TUNNEL_UNKNOWN_SERVICE(11, "tunnel_unknown_service"),
    /** Backbone packet whose route does not lead through this POP at its hop index. */
    TUNNEL_MISROUTED(12, "tunnel_misrouted"),
    /** No live route to the service's egress POP. */
    NO_ROUTE(13, "no_route"),
    /** The service has no backend with weight, or the flow's pinned backend is gone. */
    NO_BACKEND(14, "no_backend"),
    /** A packet from a backend that matches no reverse flow. */
    NO_REVERSE_FLOW(15, "no_reverse_flow"),
    /** The next ring was full; dropping is never replaced by blocking. */
    RING_FULL(16, "ring_full"),
    /** An ICMP error whose quoted header matches no flow. */
    ICMP_NO_FLOW(17, "icmp_no_flow"),
    /** An ICMP message other than echo and the errors that follow a flow. */
    ICMP_UNSUPPORTED(18, "icmp_unsupported"),
    /** Inner TTL or hop limit ran out at this POP. */
    TTL_EXPIRED(19, "ttl_expired"),
    /** A backbone packet that is not UDP to the Geneve port. */
    BACKBONE_NOT_GENEVE(20, "backbone_not_geneve"),
    /** The output port could not take the frame (device queue full). */
    PORT_BACK_PRESSURED(21, "port_back_pressured"),
    /** The frame is longer than the output port or ring carries. */
    FRAME_TOO_LARGE(22, "frame_too_large"),
    /** An Ethernet output port knows no MAC address for the packet's next hop yet. */
    NEIGHBOR_UNRESOLVED(23, "neighbor_unresolved");

    /** Returned by {@link #idOf(ParseVerdict)} for {@code OK}: not a drop. */
    public static final int NONE = -1;

    /** First drop id of the parse-fault range. */
    public static final int PARSE_FAULT_ID_BASE = 64;

    /** End (exclusive) of the parse-fault range: parse verdict ids must stay below 128. */
    public static final int PARSE_FAULT_ID_LIMIT = 192;

    /** End (exclusive) of the drop id space: drop counter arrays have this length. */
    public static final int ID_LIMIT = PARSE_FAULT_ID_LIMIT;

    /** Prefix of parse-fault labels. */
    public static final String PARSE_FAULT_LABEL_PREFIX = "parse_";

    private static final DropReason[] BY_ID = new DropReason[PARSE_FAULT_ID_BASE];
    private static final int[] DROP_ID_BY_VERDICT_ID = new int[ParseVerdict.maxId() + 1];
    private static final String[] LABEL_BY_ID = new String[ID_LIMIT];

    static
    {
        if (ParseVerdict.maxId() >= PARSE_FAULT_ID_LIMIT - PARSE_FAULT_ID_BASE)
        {
            throw new IllegalStateException("parse verdict ids outgrew the drop id range: " + ParseVerdict.maxId());
        }
        for (final DropReason reason : values())
        {
            if (reason.id <= 0 || reason.id >= PARSE_FAULT_ID_BASE || null != BY_ID[reason.id])
            {
                throw new IllegalStateException("bad or duplicate drop reason id " + reason.id);
            }
            BY_ID[reason.id] = reason;
            LABEL_BY_ID[reason.id] = reason.label;
        }
        Arrays.fill(DROP_ID_BY_VERDICT_ID, NONE);
        for (final ParseVerdict verdict : ParseVerdict.values())
        {
            final int dropId = switch (verdict)
            {
                case OK -> NONE;
                case IPV4_FRAGMENT -> FRAGMENT_V4.id;
                case IPV6_FRAGMENT -> FRAGMENT_V6.id;
                default -> PARSE_FAULT_ID_BASE + verdict.id();
            };
            DROP_ID_BY_VERDICT_ID[verdict.id()] = dropId;
            if (dropId >= PARSE_FAULT_ID_BASE)
            {
                LABEL_BY_ID[dropId] = PARSE_FAULT_LABEL_PREFIX + verdict.label();
            }
        }
    }

    private final int id;
    private final String label;

    DropReason(final int id, final String label)
    {
        this.id = id;
        this.label = label;
    }

    /**
     * @return the stable drop id.
     */
    public int id()
    {
        return id;
    }

    /**
     * @return the stable label, lower snake case.
     */
    public String label()
    {
        return label;
    }

    /**
     * The drop id a parse verdict counts under.
     *
     * @param verdict a parse verdict.
     * @return its drop id, or {@link #NONE} for {@code OK}.
     */
    public static int idOf(final ParseVerdict verdict)
    {
        return DROP_ID_BY_VERDICT_ID[verdict.id()];
    }

    /**
     * @param dropId a drop id.
     * @return the label of that id (a reason's, or a parse fault's), or {@code null} if none has it.
     */
    public static String labelOf(final int dropId)
    {
        return dropId >= 0 && dropId < ID_LIMIT ? LABEL_BY_ID[dropId] : null;
    }

    /**
     * @param dropId a drop id.
     * @return the reason with that id, or {@code null} (parse-fault ids have none).
     */
    public static DropReason forId(final int dropId)
    {
        return dropId > 0 && dropId < PARSE_FAULT_ID_BASE ? BY_ID[dropId] : null;
    }
}
