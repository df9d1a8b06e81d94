package io.flyover.dataplane.protocol;

/**
 * IANA protocol numbers carried in the IPv4 protocol field and the IPv6 next-header field, limited to
 * the ones Flyover's codecs recognise. Constants only; any thread.
 */
public final class IpProtocol
{
    /**
     * IPv6 hop-by-hop options header (RFC 8200); only valid directly after the IPv6 header.
     */
    public static final int HOP_BY_HOP = 0;

    /**
     * ICMP for IPv4 (RFC 792).
     */
    public static final int ICMP = 1;

    /**
     * TCP (RFC 9293).
     */
    public static final int TCP = 6;

    /**
     * UDP (RFC 768).
     */
    public static final int UDP = 17;

    /**
     * IPv6 routing header (RFC 8200).
     */
    public static final int IPV6_ROUTING = 43;

    /**
     * IPv6 fragment header (RFC 8200).
     */
    public static final int IPV6_FRAGMENT = 44;

    /**
     * Encapsulating security payload (RFC 4303); opaque, ends what a parser can see.
     */
    public static final int ESP = 50;

    /**
     * Authentication header (RFC 4302).
     */
    public static final int AH = 51;

    /**
     * ICMP for IPv6 (RFC 4443).
     */
    public static final int ICMPV6 = 58;

    /**
     * IPv6 "no next header" (RFC 8200).
     */
    public static final int IPV6_NO_NEXT_HEADER = 59;

    /**
     * IPv6 destination options header (RFC 8200).
     */
    public static final int IPV6_DESTINATION_OPTIONS = 60;

    private IpProtocol()
    {
    }
}
