package io.flyover.nativeio;

/**
 * IPv4 addresses as {@code int} in host order, the form every API in this package takes.
 * <p>
 * Stateless; any thread. Setup-time helpers: they allocate.
 */
public final class Ipv4
{
    /** {@code 127.0.0.1}. */
    public static final int LOOPBACK = 0x7F000001;

    private Ipv4()
    {
    }

    /**
     * @param dotted e.g. {@code "10.200.0.1"}.
     * @return the address as an int, host order.
     * @throws IllegalArgumentException if it is not a dotted quad.
     */
    public static int parse(final String dotted)
    {
        final String[] parts = dotted.split("\\.", -1);
        if (4 != parts.length)
        {
            throw new IllegalArgumentException("not an IPv4 address: " + dotted);
        }
        int address = 0;
        for (final String part : parts)
        {
            final int octet;
            try
            {
                octet = Integer.parseInt(part);
            }
            catch (final NumberFormatException ex)
            {
                throw new IllegalArgumentException("not an IPv4 address: " + dotted, ex);
            }
            if (part.isEmpty() || octet < 0 || octet > 255)
            {
                throw new IllegalArgumentException("not an IPv4 address: " + dotted);
            }
            address = (address << 8) | octet;
        }
        return address;
    }

    /**
     * @param address host order.
     * @return dotted quad.
     */
    public static String format(final int address)
    {
        return (address >>> 24) + "." + ((address >>> 16) & 0xFF) + "." + ((address >>> 8) & 0xFF) + "." +
            (address & 0xFF);
    }

    /**
     * @param address host order.
     * @param port    port.
     * @return {@code "a.b.c.d:port"}, the form error messages use.
     */
    public static String format(final int address, final int port)
    {
        return format(address) + ":" + port;
    }
}
