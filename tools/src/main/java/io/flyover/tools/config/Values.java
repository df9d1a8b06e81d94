package io.flyover.tools.config;

import io.flyover.nativeio.MacAddress;

import java.net.Inet4Address;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.time.Duration;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Parses the textual values of the configuration: durations, sizes, rates, addresses, port ranges
 * and hex keys. Strict: no DNS lookups, no octal or shortened IPv4 forms, units required where a
 * bare number would be ambiguous. A value that does not parse throws
 * {@link IllegalArgumentException} whose message says what was expected; the caller turns it into
 * a {@link ConfigError}.
 */
final class Values
{
    private static final Pattern DURATION = Pattern.compile("(\\d{1,9})(ms|s|m|h)");
    private static final Pattern SIZE = Pattern.compile("(\\d{1,12})([kKMG]?)");
    private static final Pattern RATE = Pattern.compile("(\\d{1,12})\\s?([kKMGT]?)(bit|bit/s|bps|B/s)");
    private static final Pattern IPV4 = Pattern.compile("(0|[1-9]\\d{0,2})(\\.(0|[1-9]\\d{0,2})){3}");
    private static final Pattern IPV6_CHARS = Pattern.compile("[0-9a-fA-F:.]{2,45}");
    private static final Pattern PORT_RANGE = Pattern.compile("(\\d{1,5})(?:\\s*-\\s*(\\d{1,5}))?");
    private static final Pattern HEX_KEY = Pattern.compile("[0-9a-fA-F]{32}");
    private static final Pattern NAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9_.-]{0,62}");

    private Values()
    {
    }

    static Boolean bool(final String text)
    {
        return switch (text)
        {
            case "true", "yes", "on" -> Boolean.TRUE;
            case "false", "no", "off" -> Boolean.FALSE;
            default -> throw new IllegalArgumentException("must be true or false");
        };
    }

    static Duration duration(final String text)
    {
        final Matcher m = DURATION.matcher(text);
        if (!m.matches())
        {
            throw new IllegalArgumentException("must be a duration with a unit: ms, s, m or h (e.g. 100ms, 5s, 2m)");
        }
        final long amount = Long.parseLong(m.group(1));
        return switch (m.group(2))
        {
            case "ms" -> Duration.ofMillis(amount);
            case "s" -> Duration.ofSeconds(amount);
            case "m" -> Duration.ofMinutes(amount);
            default -> Duration.ofHours(amount);
        };
    }

    static long size(final String text)
    {
        final Matcher m = SIZE.matcher(text);
        if (!m.matches())
        {
            throw new IllegalArgumentException("must be a count, optionally with K, M or G (x1024), e.g. 1M");
        }
        final long amount = Long.parseLong(m.group(1));
        final int shift = switch (m.group(2))
        {
            case "k", "K" -> 10;
            case "M" -> 20;
            case "G" -> 30;
            default -> 0;
        };
        if (amount > (Long.MAX_VALUE >> 31))
        {
            throw new IllegalArgumentException("is too large");
        }
        return amount << shift;
    }

    /**
     * A rate in bits per second: {@code 100Mbit}, {@code 1Gbps}, {@code 10MB/s} (bytes), decimal
     * multiples (k = 1000), or {@code unlimited} for 0.
     */
    static long bitsPerSecond(final String text)
    {
        if ("unlimited".equals(text))
        {
            return 0;
        }
        final Matcher m = RATE.matcher(text);
        if (!m.matches())
        {
            throw new IllegalArgumentException(
                "must be a rate like 100Mbit, 1Gbps or 10MB/s (k, M, G, T = x1000), or unlimited");
        }
        final long amount = Long.parseLong(m.group(1));
        final long multiplier = switch (m.group(2))
        {
            case "k", "K" -> 1_000L;
            case "M" -> 1_000_000L;
            case "G" -> 1_000_000_000L;
            case "T" -> 1_000_000_000_000L;
            default -> 1L;
        };
        final long perUnit = "B/s".equals(m.group(3)) ? 8 * multiplier : multiplier;
        if (amount > Long.MAX_VALUE / perUnit)
        {
            throw new IllegalArgumentException("is too large");
        }
        final long rate = amount * perUnit;
        if (rate <= 0)
        {
            throw new IllegalArgumentException("must be above 0 (or unlimited)");
        }
        return rate;
    }

    static Long unicastMac(final String text)
    {
        final long mac;
        try
        {
            mac = MacAddress.parse(text);
        }
        catch (final IllegalArgumentException ex)
        {
            throw new IllegalArgumentException("must be a MAC address of six hex octets, e.g. 02:00:5e:10:00:01");
        }
        if (!MacAddress.isUnicast(mac))
        {
            throw new IllegalArgumentException("must be a unicast MAC address (not all zero, not multicast or broadcast)");
        }
        return mac;
    }

    static Inet4Address ipv4(final String text)
    {
        if (!IPV4.matcher(text).matches())
        {
            throw new IllegalArgumentException("must be an IPv4 address in dotted-quad form, e.g. 10.77.1.1");
        }
        final String[] parts = text.split("\\.");
        final byte[] bytes = new byte[4];
        for (int i = 0; i < 4; i++)
        {
            final int octet = Integer.parseInt(parts[i]);
            if (octet > 255)
            {
                throw new IllegalArgumentException("must be an IPv4 address, octet " + octet + " is above 255");
            }
            bytes[i] = (byte)octet;
        }
        try
        {
            return (Inet4Address)InetAddress.getByAddress(bytes);
        }
        catch (final UnknownHostException ex)
        {
            throw new IllegalArgumentException("must be an IPv4 address", ex);
        }
    }

    static Inet6Address ipv6(final String text)
    {
        if (!IPV6_CHARS.matcher(text).matches() || text.indexOf(':') < 0)
        {
            throw new IllegalArgumentException("must be an IPv6 address, e.g. 2001:db8::1 (no brackets, no zone)");
        }
        final InetAddress address;
        try
        {
            address = Inet6Address.ofLiteral(text);
        }
        catch (final IllegalArgumentException ex)
        {
            throw new IllegalArgumentException("must be an IPv6 address, e.g. 2001:db8::1", ex);
        }
        if (address instanceof final Inet6Address v6)
        {
            return v6;
        }
        throw new IllegalArgumentException("is an IPv4-mapped IPv6 address; write the IPv4 address instead");
    }

    static InetAddress ip(final String text)
    {
        if (text.indexOf(':') >= 0)
        {
            return ipv6(text);
        }
        if (!IPV4.matcher(text).matches())
        {
            throw new IllegalArgumentException(
                "must be an IPv4 or IPv6 address literal, e.g. 192.0.2.10 or 2001:db8::10 (names are not looked up)");
        }
        return ipv4(text);
    }

    /**
     * {@code 127.0.0.1:9810} or {@code [::1]:9810}.
     */
    static InetSocketAddress socketAddress(final String text)
    {
        final int colon = text.lastIndexOf(':');
        if (colon <= 0 || colon == text.length() - 1)
        {
            throw new IllegalArgumentException("must be address:port, e.g. 127.0.0.1:9810 or [::1]:9810");
        }
        final String host = text.substring(0, colon);
        final int port = port(text.substring(colon + 1));
        final InetAddress address;
        if (host.startsWith("[") && host.endsWith("]"))
        {
            address = ipv6(host.substring(1, host.length() - 1));
        }
        else if (host.indexOf(':') >= 0)
        {
            throw new IllegalArgumentException("must put an IPv6 address in brackets, e.g. [::1]:9810");
        }
        else
        {
            address = ipv4(host);
        }
        return new InetSocketAddress(address, port);
    }

    static int port(final String text)
    {
        if (!text.matches("\\d{1,5}"))
        {
            throw new IllegalArgumentException("must be a port number 1..65535");
        }
        final int port = Integer.parseInt(text);
        if (port < 1 || port > 65535)
        {
            throw new IllegalArgumentException("must be a port number 1..65535");
        }
        return port;
    }

    static PortRange portRange(final String text)
    {
        final Matcher m = PORT_RANGE.matcher(text);
        if (!m.matches())
        {
            throw new IllegalArgumentException("must be a port or a range first-last of ports 1..65535, e.g. 6081-6088");
        }
        final int first = Integer.parseInt(m.group(1));
        final int last = null == m.group(2) ? first : Integer.parseInt(m.group(2));
        if (first < 1 || first > 65535 || last < 1 || last > 65535)
        {
            throw new IllegalArgumentException("must hold ports 1..65535");
        }
        if (last < first)
        {
            throw new IllegalArgumentException("must run from the lower port to the higher");
        }
        return new PortRange(first, last);
    }

    /**
     * 32 hex digits into the two little-endian words SipHash takes: {@code [k0, k1]}.
     */
    static long[] sipHashKey(final String text)
    {
        if (!HEX_KEY.matcher(text).matches())
        {
            throw new IllegalArgumentException("must be a 128-bit key written as exactly 32 hex digits");
        }
        final long[] words = new long[2];
        for (int i = 0; i < 16; i++)
        {
            final long octet = Integer.parseInt(text.substring(2 * i, 2 * i + 2), 16);
            words[i / 8] |= octet << (8 * (i % 8));
        }
        return words;
    }

    /**
     * 16 hex digits into a 64-bit key, big-endian (the digits read as one number).
     */
    static Long flowHashKey(final String text)
    {
        if (!text.matches("[0-9A-Fa-f]{16}"))
        {
            throw new IllegalArgumentException("must be a 64-bit key written as exactly 16 hex digits");
        }
        return Long.parseUnsignedLong(text, 16);
    }

    static String name(final String text)
    {
        if (!NAME.matcher(text).matches())
        {
            throw new IllegalArgumentException(
                "must be 1..63 characters of letters, digits, '-', '_' or '.', starting with a letter or digit");
        }
        return text;
    }

    static String deviceName(final String text)
    {
        if (text.isEmpty() || text.getBytes(java.nio.charset.StandardCharsets.UTF_8).length > 15 ||
            !text.matches("[A-Za-z0-9_.-]+") || ".".equals(text) || "..".equals(text))
        {
            throw new IllegalArgumentException(
                "must be an interface name of 1..15 characters: letters, digits, '-', '_' or '.'");
        }
        return text;
    }

    /**
     * A value as shown in an error: quoted, control characters escaped, long ones cut.
     */
    static String quote(final String text)
    {
        return "'" + printable(text) + "'";
    }

    /**
     * A value as shown in an error without quotes: control characters escaped, long ones cut.
     */
    static String printable(final String text)
    {
        final StringBuilder sb = new StringBuilder(Math.min(text.length(), 48) + 2);
        for (int i = 0; i < text.length() && i < 40; i++)
        {
            final char c = text.charAt(i);
            if (c < 0x20 || c == 0x7f)
            {
                sb.append(String.format("\\x%02x", (int)c));
            }
            else
            {
                sb.append(c);
            }
        }
        if (text.length() > 40)
        {
            sb.append("...");
        }
        return sb.toString();
    }
}
