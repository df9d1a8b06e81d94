package io.flyover.dataplane.table;

import java.net.Inet4Address;
import java.net.Inet6Address;
import java.net.InetAddress;

/**
 * Turns {@link InetAddress}es (control plane) into the two-long form the data plane compares:
 * IPv6 as its first and last 8 bytes, big-endian; IPv4 as 0 and the address zero-extended, with
 * the IP version kept beside them. The same convention as the flow table's keys.
 */
public final class Addresses
{
    private Addresses()
    {
    }

    /**
     * @param address an address.
     * @return whether it is IPv6.
     */
    public static boolean isIpv6(final InetAddress address)
    {
        return address instanceof Inet6Address;
    }

    /**
     * @param address an address.
     * @return its high 64 bits (0 for IPv4).
     */
    public static long high(final InetAddress address)
    {
        final byte[] bytes = address.getAddress();
        return bytes.length == 16 ? bigEndianLong(bytes, 0) : 0;
    }

    /**
     * @param address an address.
     * @return its low 64 bits (IPv4: the address zero-extended).
     */
    public static long low(final InetAddress address)
    {
        final byte[] bytes = address.getAddress();
        return bytes.length == 16 ? bigEndianLong(bytes, 8) : ipv4(address) & 0xFFFF_FFFFL;
    }

    /**
     * @param address an IPv4 address.
     * @return it as an int in network order ({@code 10.0.0.1 = 0x0A000001}).
     */
    public static int ipv4(final InetAddress address)
    {
        if (!(address instanceof Inet4Address))
        {
            throw new IllegalArgumentException("not IPv4: " + address);
        }
        final byte[] b = address.getAddress();
        return (b[0] & 0xFF) << 24 | (b[1] & 0xFF) << 16 | (b[2] & 0xFF) << 8 | (b[3] & 0xFF);
    }

    private static long bigEndianLong(final byte[] bytes, final int offset)
    {
        long value = 0;
        for (int i = 0; i < 8; i++)
        {
            value = value << 8 | (bytes[offset + i] & 0xFF);
        }
        return value;
    }
}
