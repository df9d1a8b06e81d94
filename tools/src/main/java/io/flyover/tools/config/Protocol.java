package io.flyover.tools.config;

/**
 * The IP protocol a service listens on.
 */
public enum Protocol
{
    TCP(6),
    UDP(17),
    ICMP(1);

    private final int ipProtocolNumber;

    Protocol(final int ipProtocolNumber)
    {
        this.ipProtocolNumber = ipProtocolNumber;
    }

    /**
     * The IANA protocol number for IPv4 (ICMP over IPv6 is 58).
     *
     * @return 6, 17 or 1.
     */
    public int ipProtocolNumber()
    {
        return ipProtocolNumber;
    }

    /**
     * Whether the protocol has ports.
     *
     * @return true for TCP and UDP.
     */
    public boolean hasPorts()
    {
        return this != ICMP;
    }
}
