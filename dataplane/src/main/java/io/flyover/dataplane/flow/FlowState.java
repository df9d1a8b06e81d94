package io.flyover.dataplane.flow;

/**
 * Protocol state of a flow entry; each state has its own idle timeout in
 * {@link FlowTableConfig}. Under pressure the table evicts {@link #TCP_EMBRYONIC} entries before
 * any other live entry.
 */
public final class FlowState
{
    /** No state: only empty slots have it. */
    public static final int NONE = 0;

    /** TCP, handshake not complete (SYN seen). */
    public static final int TCP_EMBRYONIC = 1;

    /** TCP, handshake complete. */
    public static final int TCP_ESTABLISHED = 2;

    /** TCP, FIN or RST seen. */
    public static final int TCP_CLOSING = 3;

    /** UDP. */
    public static final int UDP = 4;

    /** ICMP echo. */
    public static final int ICMP = 5;

    /** Number of states, {@code NONE} included: arrays indexed by state have this length. */
    public static final int STATE_COUNT = 6;

    private FlowState()
    {
    }

    /**
     * @param state a state.
     * @return whether it is one a live entry may have.
     */
    public static boolean isValid(final int state)
    {
        return state > NONE && state < STATE_COUNT;
    }

    /**
     * @param state a state.
     * @return its lower snake case name.
     */
    public static String name(final int state)
    {
        return switch (state)
        {
            case NONE -> "none";
            case TCP_EMBRYONIC -> "tcp_embryonic";
            case TCP_ESTABLISHED -> "tcp_established";
            case TCP_CLOSING -> "tcp_closing";
            case UDP -> "udp";
            case ICMP -> "icmp";
            default -> "state_" + state;
        };
    }
}
