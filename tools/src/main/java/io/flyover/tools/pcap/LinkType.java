package io.flyover.tools.pcap;

/**
 * The link-layer header types ({@code LINKTYPE_*} of the tcpdump registry) that replay reads,
 * and their names.
 */
public final class LinkType
{
    /** Ethernet II, with optional 802.1Q / 802.1ad tags. */
    public static final int ETHERNET = 1;
    /** Raw IP, IPv4 or IPv6 by the version nibble. */
    public static final int RAW = 101;
    /** Linux cooked capture, version 1 (16-byte header). */
    public static final int LINUX_SLL = 113;
    /** Raw IPv4. */
    public static final int IPV4 = 228;
    /** Raw IPv6. */
    public static final int IPV6 = 229;
    /** Linux cooked capture, version 2 (20-byte header). */
    public static final int LINUX_SLL2 = 276;
    /** {@code DLT_RAW} as some systems write it into pcap files. */
    public static final int DLT_RAW_12 = 12;
    /** {@code DLT_RAW} as OpenBSD writes it into pcap files. */
    public static final int DLT_RAW_14 = 14;

    private LinkType()
    {
    }

    /**
     * @param linkType a link type.
     * @return whether replay can take packets of it.
     */
    public static boolean isSupported(final int linkType)
    {
        return switch (linkType)
        {
            case ETHERNET, RAW, LINUX_SLL, IPV4, IPV6, LINUX_SLL2, DLT_RAW_12, DLT_RAW_14 -> true;
            default -> false;
        };
    }

    /**
     * @param linkType a link type.
     * @return its short name, or {@code linktype N}.
     */
    public static String name(final int linkType)
    {
        return switch (linkType)
        {
            case ETHERNET -> "ethernet";
            case RAW, DLT_RAW_12, DLT_RAW_14 -> "raw";
            case LINUX_SLL -> "sll";
            case IPV4 -> "ipv4";
            case IPV6 -> "ipv6";
            case LINUX_SLL2 -> "sll2";
            default -> "linktype " + linkType;
        };
    }

    /**
     * @param name a name {@link #name} gives (or {@code raw-ipv4}, {@code raw-ipv6}).
     * @return the link type.
     * @throws IllegalArgumentException for an unknown name.
     */
    public static int forName(final String name)
    {
        return switch (name)
        {
            case "ethernet" -> ETHERNET;
            case "raw" -> RAW;
            case "sll" -> LINUX_SLL;
            case "sll2" -> LINUX_SLL2;
            case "ipv4", "raw-ipv4" -> IPV4;
            case "ipv6", "raw-ipv6" -> IPV6;
            default -> throw new IllegalArgumentException(
                "unknown link type '" + name + "' (ethernet, raw, ipv4, ipv6, sll, sll2)");
        };
    }
}
