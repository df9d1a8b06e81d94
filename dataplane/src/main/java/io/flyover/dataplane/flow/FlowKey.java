package io.flyover.dataplane.flow;

/**
 * A flow table key: kind, IP version, protocol, addresses and ports. Mutable and reusable: a
 * worker keeps one per batch slot and refills it per packet, so a lookup allocates nothing.
 * IPv4 addresses are held as the low 32 bits of the low half with a zero high half; the IP
 * version is part of the key, so an IPv4 key never equals an IPv6 one.
 * <p>
 * For ICMP echo the source port is the echo identifier and the destination port is 0.
 * <p>
 * Owned by one thread.
 */
public final class FlowKey
{
    private long srcHi;
    private long srcLo;
    private long dstHi;
    private long dstLo;
    private int ports;
    private int keyMeta;

    /**
     * Sets an IPv4 key.
     *
     * @param kind       a {@link FlowKind}, {@code 1..MAX_KIND}.
     * @param protocol   IP protocol number.
     * @param srcAddress source address, network order as an int ({@code 10.0.0.1 = 0x0A000001}).
     * @param srcPort    source port or ICMP echo identifier.
     * @param dstAddress destination address.
     * @param dstPort    destination port, 0 for ICMP.
     * @return this.
     */
    public FlowKey ipv4(
        final int kind,
        final int protocol,
        final int srcAddress,
        final int srcPort,
        final int dstAddress,
        final int dstPort)
    {
        srcHi = 0;
        srcLo = srcAddress & 0xFFFF_FFFFL;
        dstHi = 0;
        dstLo = dstAddress & 0xFFFF_FFFFL;
        ports = FlowEntryDescriptor.ports(srcPort, dstPort);
        keyMeta = FlowEntryDescriptor.meta(checkKind(kind), protocol, 0, 0);
        return this;
    }

    /**
     * Sets an IPv6 key.
     *
     * @param kind     a {@link FlowKind}, {@code 1..MAX_KIND}.
     * @param protocol IP protocol number (next header after extension headers).
     * @param srcHi    source address, first 8 bytes as a big-endian long.
     * @param srcLo    source address, last 8 bytes.
     * @param srcPort  source port or ICMPv6 echo identifier.
     * @param dstHi    destination address, first 8 bytes.
     * @param dstLo    destination address, last 8 bytes.
     * @param dstPort  destination port, 0 for ICMPv6.
     * @return this.
     */
    public FlowKey ipv6(
        final int kind,
        final int protocol,
        final long srcHi,
        final long srcLo,
        final int srcPort,
        final long dstHi,
        final long dstLo,
        final int dstPort)
    {
        this.srcHi = srcHi;
        this.srcLo = srcLo;
        this.dstHi = dstHi;
        this.dstLo = dstLo;
        ports = FlowEntryDescriptor.ports(srcPort, dstPort);
        keyMeta = FlowEntryDescriptor.meta(checkKind(kind) | FlowEntryDescriptor.KIND_IPV6_FLAG, protocol, 0, 0);
        return this;
    }

    /**
     * Copies another key.
     *
     * @param other the key to copy.
     * @return this.
     */
    public FlowKey set(final FlowKey other)
    {
        srcHi = other.srcHi;
        srcLo = other.srcLo;
        dstHi = other.dstHi;
        dstLo = other.dstLo;
        ports = other.ports;
        keyMeta = other.keyMeta;
        return this;
    }

    void setRaw(
        final long srcHi, final long srcLo, final long dstHi, final long dstLo, final int ports, final int keyMeta)
    {
        this.srcHi = srcHi;
        this.srcLo = srcLo;
        this.dstHi = dstHi;
        this.dstLo = dstLo;
        this.ports = ports;
        this.keyMeta = keyMeta & FlowEntryDescriptor.META_KEY_MASK;
    }

    /**
     * @return the {@link FlowKind}.
     */
    public int kind()
    {
        return FlowEntryDescriptor.kindByte(keyMeta) & FlowEntryDescriptor.KIND_MASK;
    }

    /**
     * @return whether the addresses are IPv6.
     */
    public boolean isIpv6()
    {
        return (FlowEntryDescriptor.kindByte(keyMeta) & FlowEntryDescriptor.KIND_IPV6_FLAG) != 0;
    }

    /**
     * @return the IP protocol number.
     */
    public int protocol()
    {
        return FlowEntryDescriptor.protocol(keyMeta);
    }

    /**
     * @return the source address's high 64 bits (0 for IPv4).
     */
    public long srcAddressHi()
    {
        return srcHi;
    }

    /**
     * @return the source address's low 64 bits (IPv4: the address, zero-extended).
     */
    public long srcAddressLo()
    {
        return srcLo;
    }

    /**
     * @return the destination address's high 64 bits (0 for IPv4).
     */
    public long dstAddressHi()
    {
        return dstHi;
    }

    /**
     * @return the destination address's low 64 bits (IPv4: the address, zero-extended).
     */
    public long dstAddressLo()
    {
        return dstLo;
    }

    /**
     * @return the source port.
     */
    public int srcPort()
    {
        return ports >>> 16;
    }

    /**
     * @return the destination port.
     */
    public int dstPort()
    {
        return ports & 0xFFFF;
    }

    int portsWord()
    {
        return ports;
    }

    int keyMeta()
    {
        return keyMeta;
    }

    /**
     * @param other another key.
     * @return whether the two keys are equal field by field.
     */
    public boolean sameAs(final FlowKey other)
    {
        return srcHi == other.srcHi && srcLo == other.srcLo && dstHi == other.dstHi && dstLo == other.dstLo &&
            ports == other.ports && keyMeta == other.keyMeta;
    }

    /**
     * {@inheritDoc}
     */
    @Override
    public String toString()
    {
        final String src;
        final String dst;
        if (isIpv6())
        {
            src = String.format("[%016x%016x]", srcHi, srcLo);
            dst = String.format("[%016x%016x]", dstHi, dstLo);
        }
        else
        {
            src = ipv4String((int)srcLo);
            dst = ipv4String((int)dstLo);
        }
        return FlowKind.name(kind()) + " " + protocol() + " " + src + ":" + srcPort() + " > " + dst + ":" + dstPort();
    }

    private static String ipv4String(final int address)
    {
        return (address >>> 24) + "." + ((address >>> 16) & 0xFF) + "." + ((address >>> 8) & 0xFF) + "." + (address & 0xFF);
    }

    private static int checkKind(final int kind)
    {
        if (kind < 1 || kind > FlowKind.MAX_KIND)
        {
            throw new IllegalArgumentException("flow kind out of range 1.." + FlowKind.MAX_KIND + ": " + kind);
        }
        return kind;
    }
}
