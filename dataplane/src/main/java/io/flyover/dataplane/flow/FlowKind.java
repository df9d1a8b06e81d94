package io.flyover.dataplane.flow;

/**
 * What a flow entry is for; part of its key, so the same 5-tuple can have one entry of each kind.
 * An egress flow has two entries: {@link #EGRESS_FORWARD} keyed client → VIP and
 * {@link #EGRESS_REVERSE} keyed backend → client.
 */
public final class FlowKind
{
    /** Kind 0: the slot is empty. Never a live entry's kind. */
    public static final int EMPTY = 0;

    /** At the ingress POP, client → VIP: pins the route. */
    public static final int INGRESS = 1;

    /** At the egress POP, client → VIP after decapsulation: pins the backend, remembers the ingress POP and route. */
    public static final int EGRESS_FORWARD = 2;

    /** At the egress POP, backend → client: finds the service (VIP to SNAT) and the route back. */
    public static final int EGRESS_REVERSE = 3;

    /** Largest kind the entry layout can hold. */
    public static final int MAX_KIND = FlowEntryDescriptor.KIND_MASK;

    private FlowKind()
    {
    }

    /**
     * @param kind a kind.
     * @return its lower snake case name, for logs and tools.
     */
    public static String name(final int kind)
    {
        return switch (kind)
        {
            case EMPTY -> "empty";
            case INGRESS -> "ingress";
            case EGRESS_FORWARD -> "egress_forward";
            case EGRESS_REVERSE -> "egress_reverse";
            default -> "kind_" + kind;
        };
    }
}
