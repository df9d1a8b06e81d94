package io.flyover.nativeio;

import org.agrona.DirectBuffer;
import org.agrona.MutableDirectBuffer;

/**
 * 48-bit Ethernet (MAC) addresses held in the low bits of a {@code long}, first octet highest, so
 * a table of them needs no objects. {@link #NONE} marks a missing address.
 */
public final class MacAddress
{
    /** Length of a MAC address in bytes. */
    public static final int LENGTH = 6;

    /** No address (no real MAC sets bit 63). */
    public static final long NONE = -1L;

    private static final long MASK = 0xFFFF_FFFF_FFFFL;

    private MacAddress()
    {
    }

    /**
     * @param buffer holds the address.
     * @param offset where its first octet is.
     * @return the address.
     */
    public static long read(final DirectBuffer buffer, final int offset)
    {
        long mac = 0;
        for (int i = 0; i < LENGTH; i++)
        {
            mac = (mac << 8) | (buffer.getByte(offset + i) & 0xFF);
        }
        return mac;
    }

    /**
     * @param buffer where to write.
     * @param offset where the first octet goes.
     * @param mac    the address.
     */
    public static void write(final MutableDirectBuffer buffer, final int offset, final long mac)
    {
        for (int i = 0; i < LENGTH; i++)
        {
            buffer.putByte(offset + i, (byte)(mac >>> (8 * (LENGTH - 1 - i))));
        }
    }

    /**
     * @param text six hexadecimal octets separated by {@code :} or {@code -}, e.g. {@code 02:00:5e:10:00:01}.
     * @return the address.
     * @throws IllegalArgumentException if the text is not a MAC address.
     */
    public static long parse(final String text)
    {
        final String[] parts = text.split("[:-]", -1);
        if (LENGTH != parts.length)
        {
            throw new IllegalArgumentException("not a MAC address (six hex octets like 02:00:5e:10:00:01): " + text);
        }
        long mac = 0;
        for (final String part : parts)
        {
            if (part.isEmpty() || part.length() > 2)
            {
                throw new IllegalArgumentException("not a MAC address (six hex octets like 02:00:5e:10:00:01): " + text);
            }
            int octet = 0;
            for (int i = 0; i < part.length(); i++)
            {
                final int digit = Character.digit(part.charAt(i), 16);
                if (digit < 0)
                {
                    throw new IllegalArgumentException(
                        "not a MAC address (six hex octets like 02:00:5e:10:00:01): " + text);
                }
                octet = (octet << 4) | digit;
            }
            mac = (mac << 8) | octet;
        }
        return mac;
    }

    /**
     * @param mac an address.
     * @return it as {@code aa:bb:cc:dd:ee:ff}.
     */
    public static String format(final long mac)
    {
        final StringBuilder text = new StringBuilder(17);
        for (int i = 0; i < LENGTH; i++)
        {
            if (i > 0)
            {
                text.append(':');
            }
            final int octet = (int)(mac >>> (8 * (LENGTH - 1 - i))) & 0xFF;
            text.append(Character.forDigit(octet >>> 4, 16)).append(Character.forDigit(octet & 0xF, 16));
        }
        return text.toString();
    }

    /**
     * @param mac an address.
     * @return whether it is a group (multicast or broadcast) address: the first octet's low bit.
     */
    public static boolean isGroup(final long mac)
    {
        return 0 != ((mac >>> 40) & 1);
    }

    /**
     * @param mac a value.
     * @return whether it is a usable unicast address (48 bits, not all zero, not a group address).
     */
    public static boolean isUnicast(final long mac)
    {
        return 0 == (mac & ~MASK) && 0 != mac && !isGroup(mac);
    }
}
