package io.flyover.dataplane.protocol;

/**
 * Where {@link GeneveParser} found things in a Flyover tunnel packet: a reusable, mutable holder
 * so parsing allocates nothing. Offsets are absolute indexes in the parsed buffer. Valid only
 * after a parse that returned {@link ParseVerdict#OK}; otherwise its fields are unspecified.
 * <p>
 * Owned by one thread (a worker shard keeps one and reuses it for every packet).
 */
public final class ParsedTunnel
{
    int geneveOffset;
    int flyoverOptionOffset;
    int innerOffset;
    int innerLength;
    int protocolType;
    int vni;
    boolean oam;

    /**
     * @return offset of the Geneve base header.
     */
    public int geneveOffset()
    {
        return geneveOffset;
    }

    /**
     * @return offset of the Flyover option (its class field).
     */
    public int flyoverOptionOffset()
    {
        return flyoverOptionOffset;
    }

    /**
     * @return offset of the inner IP packet (right after the Geneve options).
     */
    public int innerOffset()
    {
        return innerOffset;
    }

    /**
     * @return bytes from {@link #innerOffset()} to the end of the parsed range; may be 0.
     */
    public int innerLength()
    {
        return innerLength;
    }

    /**
     * @return the Geneve protocol type: {@link GeneveFlyweight#PROTOCOL_TYPE_IPV4} or
     * {@link GeneveFlyweight#PROTOCOL_TYPE_IPV6}.
     */
    public int protocolType()
    {
        return protocolType;
    }

    /**
     * @return the VNI, the service id.
     */
    public int vni()
    {
        return vni;
    }

    /**
     * @return true if the O bit is set: a probe.
     */
    public boolean oam()
    {
        return oam;
    }

    /**
     * Resets every field to zero; not needed between parses, handy in tests.
     */
    public void reset()
    {
        geneveOffset = 0;
        flyoverOptionOffset = 0;
        innerOffset = 0;
        innerLength = 0;
        protocolType = 0;
        vni = 0;
        oam = false;
    }

    /**
     * {@inheritDoc}
     */
    @Override
    public String toString()
    {
        return "ParsedTunnel{geneveOffset=" + geneveOffset + ", flyoverOptionOffset=" + flyoverOptionOffset +
            ", innerOffset=" + innerOffset + ", innerLength=" + innerLength +
            ", protocolType=0x" + Integer.toHexString(protocolType) + ", vni=" + vni + ", oam=" + oam + '}';
    }
}
