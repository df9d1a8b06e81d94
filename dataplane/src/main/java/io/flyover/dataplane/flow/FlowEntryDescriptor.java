package io.flyover.dataplane.flow;

/**
 * Layout of one flow-table entry: 64 bytes, one cache line, entries aligned on cache lines.
 * <pre>
 *  0                   1                   2                   3
 *  0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
 * +---------------------------------------------------------------+
 * |              Source address, high 64 bits (IPv4: 0)           |  0
 * +                                                               +
 * |                                                               |
 * +---------------------------------------------------------------+
 * |              Source address, low 64 bits                      |  8
 * +                  (IPv4: the address in the low 32 bits)       +
 * |                                                               |
 * +---------------------------------------------------------------+
 * |              Destination address, high 64 bits                | 16
 * +                                                               +
 * |                                                               |
 * +---------------------------------------------------------------+
 * |              Destination address, low 64 bits                 | 24
 * +                                                               +
 * |                                                               |
 * +-------------------------------+-------------------------------+
 * |  Source port (ICMP: echo id)  |  Destination port (ICMP: 0)   | 32  ports word
 * +-+-+-----------+---------------+---------------+---------------+
 * |6|2|   Kind    |   Protocol    |     State     |     Flags     | 36  meta word
 * +-+-+-----------+---------------+---------------+---------------+
 * |          Ingress POP          |            Hop 1              | 40  route
 * +-------------------------------+-------------------------------+
 * |            Hop 2              |            Hop 3              |
 * +-------------------------------+-------------------------------+
 * |                     Service id (24-bit VNI)                   | 48
 * +---------------------------------------------------------------+
 * |   Packets (saturating)        |          Backend id           | 52
 * +---------------------------------------------------------------+
 * |                     Created, ms (u32, wrapping)               | 56
 * +---------------------------------------------------------------+
 * |                     Last seen, ms (u32, wrapping)             | 60
 * +---------------------------------------------------------------+
 * </pre>
 * <ul>
 *   <li>Key (38 bytes of the 40 in offsets 0..39): addresses, ports, and the meta word's top half
 *   less the {@code 2} bit ({@code 6}: IPv6; kind; protocol). IPv4 and IPv6 keys are stored whole,
 *   so a match is exact: no fingerprints, no false positives, and an entry can always be turned
 *   back into its 5-tuple (flow-end events).</li>
 *   <li>The {@code 2} bit is the table's own: set when the entry sits in the probe window of its
 *   key's second home slot rather than the first.</li>
 *   <li>Kind 0 marks an empty slot. A live entry's kind is one of {@link FlowKind}.</li>
 *   <li>The words are written and read whole in the platform's order ({@code ports = src << 16 |
 *   dst}, {@code meta = kind << 24 | protocol << 16 | state << 8 | flags},
 *   {@code route = ingress << 48 | hop1 << 32 | hop2 << 16 | hop3}), so field extraction does not
 *   depend on byte order. The table lives in one process's memory; it is never shared or saved.</li>
 *   <li>Times are milliseconds of the injected clock truncated to 32 bits; ages are computed by
 *   wrapping subtraction, valid up to 24.8 days, which bounds the longest idle timeout.</li>
 *   <li>Packets: every packet the entry has seen, the one that created it included, in the high
 *   16 bits of the backend word; it stops at {@link #MAX_PACKETS}, enough to rank flows by size
 *   for an operator ({@code /flows?sort=largest}), not to bill them.</li>
 *   <li>Not stored, for want of bytes: the flow hash (the table recomputes it from the key when it
 *   must), and per-flow byte counts.</li>
 * </ul>
 */
public final class FlowEntryDescriptor
{
    /** Length of an entry in bytes. */
    public static final int ENTRY_LENGTH = 64;

    /** log2 of {@link #ENTRY_LENGTH}: slot index to entry offset. */
    public static final int ENTRY_SHIFT = 6;

    /** Offset of the source address's high 64 bits. */
    public static final int SRC_ADDRESS_HI_OFFSET = 0;

    /** Offset of the source address's low 64 bits. */
    public static final int SRC_ADDRESS_LO_OFFSET = 8;

    /** Offset of the destination address's high 64 bits. */
    public static final int DST_ADDRESS_HI_OFFSET = 16;

    /** Offset of the destination address's low 64 bits. */
    public static final int DST_ADDRESS_LO_OFFSET = 24;

    /** Offset of the ports word, {@code srcPort << 16 | dstPort}. */
    public static final int PORTS_OFFSET = 32;

    /** Offset of the meta word, {@code kindByte << 24 | protocol << 16 | state << 8 | flags}. */
    public static final int META_OFFSET = 36;

    /** Offset of the route, four 16-bit POP ids packed in a long. */
    public static final int ROUTE_OFFSET = 40;

    /** Offset of the service id. */
    public static final int SERVICE_ID_OFFSET = 48;

    /** The backend id's bits in the backend word. */
    public static final int BACKEND_ID_MASK = 0xFFFF;

    /** Shift of the packet count in the backend word. */
    public static final int PACKETS_SHIFT = 16;

    /** Where the packet count stops. */
    public static final int MAX_PACKETS = 0xFFFF;

    /** Offset of the backend word: the backend id (low 16 bits) and the packet count (high 16). */
    public static final int BACKEND_ID_OFFSET = 52;

    /** Offset of the creation time, ms. */
    public static final int CREATED_MS_OFFSET = 56;

    /** Offset of the last-seen time, ms. */
    public static final int LAST_SEEN_MS_OFFSET = 60;

    /** Bit of the kind byte that marks an IPv6 key. */
    public static final int KIND_IPV6_FLAG = 0x80;

    /** Bit of the kind byte set when the entry is in its second home's probe window. Not part of the key. */
    public static final int KIND_SECOND_HOME_FLAG = 0x40;

    /** Mask of the kind byte that leaves the kind itself. */
    public static final int KIND_MASK = 0x3F;

    /** Mask of the meta word covering the key's part of it: IPv6 bit, kind and protocol. */
    public static final int META_KEY_MASK = 0xBFFF_0000;

    /** The second-home bit within the meta word. */
    public static final int META_SECOND_HOME_FLAG = KIND_SECOND_HOME_FLAG << 24;

    private FlowEntryDescriptor()
    {
    }

    /**
     * @param kindByte kind, with {@link #KIND_IPV6_FLAG} for IPv6.
     * @param protocol IP protocol number.
     * @param state    a {@link FlowState}.
     * @param flags    flag bits.
     * @return the meta word.
     */
    public static int meta(final int kindByte, final int protocol, final int state, final int flags)
    {
        return (kindByte & 0xFF) << 24 | (protocol & 0xFF) << 16 | (state & 0xFF) << 8 | (flags & 0xFF);
    }

    /**
     * @param meta a meta word.
     * @return the kind byte, 0 for an empty slot.
     */
    public static int kindByte(final int meta)
    {
        return meta >>> 24;
    }

    /**
     * @param meta a meta word.
     * @return the protocol.
     */
    public static int protocol(final int meta)
    {
        return (meta >>> 16) & 0xFF;
    }

    /**
     * @param meta a meta word.
     * @return the state.
     */
    public static int state(final int meta)
    {
        return (meta >>> 8) & 0xFF;
    }

    /**
     * @param meta a meta word.
     * @return the flags.
     */
    public static int flags(final int meta)
    {
        return meta & 0xFF;
    }

    /**
     * @param srcPort source port.
     * @param dstPort destination port.
     * @return the ports word.
     */
    public static int ports(final int srcPort, final int dstPort)
    {
        return (srcPort & 0xFFFF) << 16 | (dstPort & 0xFFFF);
    }
}
