package io.flyover.dataplane.protocol;

/**
 * What {@link PacketParser} found in one packet: offsets into the caller's buffer and the header fields
 * later stages need, as plain fields. Preallocate one per worker (or one per batch slot) and reuse it.
 * Offsets are buffer indexes, not relative to the packet.
 * <p>
 * To keep the per-packet cost to what the packet needs, the parser does not clear every field. It writes
 * the <em>gate</em> fields on every parse, and every field of each stage it reaches; a field of a stage
 * not reached may hold an earlier packet's value. Read a field only when its gate is open:
 * <ul>
 *     <li>Ethernet: {@link #l2Offset} not {@link #NONE}; the outer tag's fields when {@link #vlanCount}
 *     is at least 1, the inner tag's when it is 2.</li>
 *     <li>IP: {@link #ipVersion} not 0 (set once the IP header, its lengths, options and checksum are
 *     good); {@link #protocol} once the IPv6 extension headers were walked too. Fragment details when
 *     {@link #fragment}.</li>
 *     <li>L4: {@link #l4Offset} not {@link #NONE}; ports and the TCP fields for the verdict
 *     {@link ParseVerdict#OK} with {@link #protocol} UDP or TCP, the ICMP fields with ICMP or ICMPv6.</li>
 *     <li>Quoted packet of an ICMP error: {@link #innerL3Offset} not {@link #NONE}; its ports when
 *     {@link #innerL4Offset} is not {@link #NONE}.</li>
 *     <li>Payload: {@link #payloadOffset} not {@link #NONE}.</li>
 * </ul>
 * A verdict other than OK names the stage that failed; the gates show how far the parse got.
 * {@link #reset()} clears everything, for callers that want clean values (tests, tools).
 * <p>
 * Not thread safe: owned by the thread that parses into it.
 */
public final class ParsedPacket
{
    /**
     * Value of an offset or optional field that is absent.
     */
    public static final int NONE = -1;

    // Ethernet

    /**
     * Index of the Ethernet header, {@link #NONE} for a raw IP packet (or a frame too short for one).
     * Always written.
     */
    public int l2Offset;

    /**
     * Number of VLAN tags, 0 to 2; gate of the tag fields. Always written.
     */
    public int vlanCount;

    /**
     * TPID of the outer (first) tag, when {@link #vlanCount} is at least 1.
     */
    public int outerVlanTpid;

    /**
     * TCI of the outer (first) tag.
     */
    public int outerVlanTci;

    /**
     * VLAN id of the outer (first) tag.
     */
    public int outerVlanId;

    /**
     * TPID of the inner (second) tag, when {@link #vlanCount} is 2.
     */
    public int innerVlanTpid;

    /**
     * TCI of the inner (second) tag.
     */
    public int innerVlanTci;

    /**
     * VLAN id of the inner (second) tag.
     */
    public int innerVlanId;

    /**
     * EtherType of the L3 payload, after any tags (set from the version for a raw IP packet, 0 if the frame
     * is too short to hold one). Always written.
     */
    public int etherType;

    // IP

    /**
     * Index of the IP header (or of whatever follows the EtherType), {@link #NONE} if not reached. Always
     * written.
     */
    public int l3Offset;

    /**
     * 4 or 6 once the IP header is known good, 0 before; gate of the IP fields. Always written.
     */
    public int ipVersion;

    /**
     * IPv4: header length with options. IPv6: 40 plus the extension headers walked.
     */
    public int l3HeaderLength;

    /**
     * IPv4 total length, or 40 plus the IPv6 payload length: where the IP packet ends, before any
     * Ethernet padding.
     */
    public int l3Length;

    /**
     * Index of the source address (4 or 16 bytes).
     */
    public int srcAddressOffset;

    /**
     * Index of the destination address (4 or 16 bytes).
     */
    public int dstAddressOffset;

    /**
     * 4 or 16.
     */
    public int addressLength;

    /**
     * IPv4 DSCP/ECN byte or IPv6 traffic class.
     */
    public int tos;

    /**
     * IPv4 TTL or IPv6 hop limit.
     */
    public int ttl;

    /**
     * IPv6 flow label, 0 for IPv4.
     */
    public int flowLabel;

    /**
     * IPv4 DF flag.
     */
    public boolean dontFragment;

    /**
     * Number of IPv6 extension headers walked.
     */
    public int extensionHeaderCount;

    /**
     * True for an IPv4 fragment or an IPv6 packet with a non-atomic fragment header; gate of the other
     * fragment fields. Always written.
     */
    public boolean fragment;

    /**
     * True for the fragment at offset 0 (it holds the L4 header).
     */
    public boolean firstFragment;

    /**
     * MF / M flag of a fragment.
     */
    public boolean moreFragments;

    /**
     * Offset of a fragment's data in bytes.
     */
    public int fragmentOffset;

    /**
     * IPv4 identification (16 bits) or IPv6 fragment identification (32 bits) of a fragment.
     */
    public int fragmentId;

    /**
     * Upper-layer protocol: IPv4 protocol, or the IPv6 next header after the extension headers
     * ({@link #NONE} while they are walked).
     */
    public int protocol;

    // L4

    /**
     * Index of the L4 header, {@link #NONE} if not reached or unknown (e.g. a later fragment); gate of the
     * L4 fields. Always written.
     */
    public int l4Offset;

    /**
     * Bytes from the L4 header to the end of the IP packet.
     */
    public int l4Length;

    /**
     * Index of the L4 checksum field, for UDP, TCP, ICMP and ICMPv6.
     */
    public int l4ChecksumOffset;

    /**
     * UDP or TCP source port (when {@link #protocol} is UDP or TCP).
     */
    public int srcPort;

    /**
     * UDP or TCP destination port.
     */
    public int dstPort;

    /**
     * TCP flags byte (TCP fields: when {@link #protocol} is TCP).
     */
    public int tcpFlags;

    /**
     * TCP header length with options.
     */
    public int tcpHeaderLength;

    /**
     * TCP sequence number.
     */
    public int tcpSequence;

    /**
     * TCP acknowledgment number.
     */
    public int tcpAcknowledgment;

    /**
     * TCP window.
     */
    public int tcpWindow;

    /**
     * TCP MSS option value, {@link #NONE} if there is no MSS option of length 4.
     */
    public int tcpMss;

    /**
     * Index of the TCP MSS option's kind byte, {@link #NONE} if absent; see
     * {@link TcpFlyweight#clampMssAt}.
     */
    public int tcpMssOptionOffset;

    /**
     * ICMP or ICMPv6 type (ICMP fields: when {@link #protocol} is ICMP or ICMPv6).
     */
    public int icmpType;

    /**
     * ICMP or ICMPv6 code.
     */
    public int icmpCode;

    /**
     * Echo identifier; 0 unless an echo request or reply.
     */
    public int icmpIdentifier;

    /**
     * Echo sequence number; 0 unless an echo request or reply.
     */
    public int icmpSequence;

    /**
     * Next-hop MTU of an ICMP fragmentation-needed, or MTU of an ICMPv6 packet-too-big (unsigned 32
     * bits); 0 otherwise.
     */
    public int icmpMtu;

    // The packet an ICMP error quotes

    /**
     * Index of the quoted IP header of an ICMP error, {@link #NONE} otherwise; gate of the inner fields.
     * Always written.
     */
    public int innerL3Offset;

    /**
     * IP version of the quoted packet, 0 if none.
     */
    public int innerIpVersion;

    /**
     * Header length of the quoted IP header (IPv6: with the extension headers walked).
     */
    public int innerL3HeaderLength;

    /**
     * Index of the quoted source address.
     */
    public int innerSrcAddressOffset;

    /**
     * Index of the quoted destination address.
     */
    public int innerDstAddressOffset;

    /**
     * Upper-layer protocol of the quoted packet.
     */
    public int innerProtocol;

    /**
     * True if the quoted packet is a fragment.
     */
    public boolean innerFragment;

    /**
     * Index of the quoted L4 header, {@link #NONE} if none; with UDP or TCP, the inner ports are valid.
     */
    public int innerL4Offset;

    /**
     * Quoted UDP or TCP source port, 0 for other protocols.
     */
    public int innerSrcPort;

    /**
     * Quoted UDP or TCP destination port.
     */
    public int innerDstPort;

    /**
     * Type of a quoted ICMP/ICMPv6 message, {@link #NONE} if the quote is not ICMP.
     */
    public int innerIcmpType;

    /**
     * Identifier of a quoted ICMP/ICMPv6 echo.
     */
    public int innerIcmpIdentifier;

    // Payload

    /**
     * Index of the data after the L4 header (UDP, TCP, ICMP: echo data or the quote), or of fragment
     * data; {@link #NONE} if unknown. Always written.
     */
    public int payloadOffset;

    /**
     * Length of that data, up to the end of the IP packet.
     */
    public int payloadLength;

    /**
     * Create a packet record in its reset state.
     */
    public ParsedPacket()
    {
        reset();
    }

    /**
     * Return every field to its "absent" value. The parser does not need this (it writes the gates); use
     * it for clean values outside the hot path.
     */
    public void reset()
    {
        l2Offset = NONE;
        vlanCount = 0;
        outerVlanTpid = 0;
        outerVlanTci = 0;
        outerVlanId = 0;
        innerVlanTpid = 0;
        innerVlanTci = 0;
        innerVlanId = 0;
        etherType = 0;

        l3Offset = NONE;
        ipVersion = 0;
        l3HeaderLength = 0;
        l3Length = 0;
        srcAddressOffset = NONE;
        dstAddressOffset = NONE;
        addressLength = 0;
        tos = 0;
        ttl = 0;
        flowLabel = 0;
        dontFragment = false;
        extensionHeaderCount = 0;
        fragment = false;
        firstFragment = false;
        moreFragments = false;
        fragmentOffset = 0;
        fragmentId = 0;
        protocol = NONE;

        l4Offset = NONE;
        l4Length = 0;
        l4ChecksumOffset = NONE;
        srcPort = 0;
        dstPort = 0;
        tcpFlags = 0;
        tcpHeaderLength = 0;
        tcpSequence = 0;
        tcpAcknowledgment = 0;
        tcpWindow = 0;
        tcpMss = NONE;
        tcpMssOptionOffset = NONE;
        icmpType = NONE;
        icmpCode = NONE;
        icmpIdentifier = 0;
        icmpSequence = 0;
        icmpMtu = 0;

        innerL3Offset = NONE;
        innerIpVersion = 0;
        innerL3HeaderLength = 0;
        innerSrcAddressOffset = NONE;
        innerDstAddressOffset = NONE;
        innerProtocol = NONE;
        innerFragment = false;
        innerL4Offset = NONE;
        innerSrcPort = 0;
        innerDstPort = 0;
        innerIcmpType = NONE;
        innerIcmpIdentifier = 0;

        payloadOffset = NONE;
        payloadLength = 0;
    }

    /**
     * @return true if this packet was parsed from an Ethernet frame.
     */
    public boolean hasEthernet()
    {
        return NONE != l2Offset;
    }

    /**
     * @return true if an ICMP error's quoted packet was found.
     */
    public boolean hasQuote()
    {
        return NONE != innerL3Offset;
    }

    /**
     * @return the buffer index just past the IP packet (before any Ethernet padding).
     */
    public int l3End()
    {
        return l3Offset + l3Length;
    }

    /**
     * {@inheritDoc}
     */
    public String toString()
    {
        return "ParsedPacket{" +
            "l2Offset=" + l2Offset +
            ", vlanCount=" + vlanCount +
            ", outerVlanId=" + outerVlanId +
            ", innerVlanId=" + innerVlanId +
            ", etherType=0x" + Integer.toHexString(etherType) +
            ", l3Offset=" + l3Offset +
            ", ipVersion=" + ipVersion +
            ", l3HeaderLength=" + l3HeaderLength +
            ", l3Length=" + l3Length +
            ", ttl=" + ttl +
            ", fragment=" + fragment +
            ", firstFragment=" + firstFragment +
            ", fragmentOffset=" + fragmentOffset +
            ", protocol=" + protocol +
            ", l4Offset=" + l4Offset +
            ", srcPort=" + srcPort +
            ", dstPort=" + dstPort +
            ", tcpFlags=0x" + Integer.toHexString(tcpFlags) +
            ", tcpMss=" + tcpMss +
            ", icmpType=" + icmpType +
            ", icmpCode=" + icmpCode +
            ", icmpMtu=" + Integer.toUnsignedString(icmpMtu) +
            ", innerL3Offset=" + innerL3Offset +
            ", innerProtocol=" + innerProtocol +
            ", innerSrcPort=" + innerSrcPort +
            ", innerDstPort=" + innerDstPort +
            ", payloadOffset=" + payloadOffset +
            ", payloadLength=" + payloadLength +
            '}';
    }
}
