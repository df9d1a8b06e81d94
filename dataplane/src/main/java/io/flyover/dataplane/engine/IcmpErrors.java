package io.flyover.dataplane.engine;

import org.agrona.MutableDirectBuffer;
import org.agrona.concurrent.UnsafeBuffer;

import io.flyover.dataplane.protocol.Icmpv4Flyweight;
import io.flyover.dataplane.protocol.Icmpv6Flyweight;
import io.flyover.dataplane.protocol.IpProtocol;
import io.flyover.dataplane.protocol.Ipv4Flyweight;
import io.flyover.dataplane.protocol.Ipv6Flyweight;
import io.flyover.dataplane.protocol.ParsedPacket;

import static java.nio.ByteOrder.BIG_ENDIAN;

/**
 * Builds the ICMP errors a POP sends to clients — fragmentation needed (ICMPv4 3/4) and packet
 * too big (ICMPv6 2) — from the VIP the client addressed, quoting the offending packet, at most
 * a configured number per second. One instance per worker; the last error built stays in
 * {@link #buffer()} until the next.
 */
public final class IcmpErrors
{
    /** IPv4: quote the header and as much data as fits a 576-byte error (RFC 1812 4.3.2.3). */
    private static final int IPV4_MAX_ERROR = 576;
    /** IPv6: an error must fit the minimum MTU (RFC 4443 2.4 (c)). */
    private static final int IPV6_MAX_ERROR = 1280;

    private final UnsafeBuffer buffer = new UnsafeBuffer(new byte[IPV6_MAX_ERROR]);
    private final TokenBucket limiter;
    private int length;
    private boolean pending;

    /**
     * @param perSecond errors allowed per second (burst of the same size).
     * @param nowNs     start time.
     */
    public IcmpErrors(final int perSecond, final long nowNs)
    {
        this.limiter = new TokenBucket(Math.max(perSecond, 1), Math.max(perSecond, 1), nowNs);
    }

    /**
     * @return the last error built.
     */
    public UnsafeBuffer buffer()
    {
        return buffer;
    }

    /**
     * Takes the error built since the last call, if any; its bytes stay in {@link #buffer()}.
     *
     * @return {@code true} if one was waiting to be sent.
     */
    public boolean takePending()
    {
        final boolean was = pending;
        pending = false;
        return was;
    }

    /**
     * @return the last error's length.
     */
    public int length()
    {
        return length;
    }

    /**
     * Builds an error telling the client that {@code mtu} bytes is the most that passes.
     *
     * @param packetBuffer holds the offending packet.
     * @param offset       where it starts.
     * @param p            its parse.
     * @param mtu          the largest inner packet the path carries.
     * @param nowNs        current time.
     * @return {@code true} if an error was built, {@code false} if the rate limit held it back.
     */
    public boolean tooBig(
        final MutableDirectBuffer packetBuffer, final int offset, final ParsedPacket p, final int mtu, final long nowNs)
    {
        if (!limiter.tryTake(1, nowNs))
        {
            return false;
        }
        if (6 == p.ipVersion)
        {
            final int quote = Math.min(p.l3Length, IPV6_MAX_ERROR - 40 - Icmpv6Flyweight.HEADER_LENGTH);
            final int icmpLength = Icmpv6Flyweight.HEADER_LENGTH + quote;
            final long vipHigh = packetBuffer.getLong(p.dstAddressOffset, BIG_ENDIAN);
            final long vipLow = packetBuffer.getLong(p.dstAddressOffset + 8, BIG_ENDIAN);
            final long clientHigh = packetBuffer.getLong(p.srcAddressOffset, BIG_ENDIAN);
            final long clientLow = packetBuffer.getLong(p.srcAddressOffset + 8, BIG_ENDIAN);
            Ipv6Flyweight.writeHeader(buffer, 0, 0, 0, icmpLength, IpProtocol.ICMPV6, 64,
                vipHigh, vipLow, clientHigh, clientLow);
            Icmpv6Flyweight.writePacketTooBigHeader(buffer, 40, mtu);
            buffer.putBytes(40 + Icmpv6Flyweight.HEADER_LENGTH, packetBuffer, offset, quote);
            Icmpv6Flyweight.writeChecksum(buffer, 0, 40, icmpLength);
            length = 40 + icmpLength;
        }
        else
        {
            final int quote = Math.min(p.l3Length, IPV4_MAX_ERROR - 20 - Icmpv4Flyweight.HEADER_LENGTH);
            final int icmpLength = Icmpv4Flyweight.HEADER_LENGTH + quote;
            Ipv4Flyweight.writeHeader(buffer, 0, 0, 20 + icmpLength, 0, 0, 64, IpProtocol.ICMP,
                packetBuffer.getInt(p.dstAddressOffset, BIG_ENDIAN), packetBuffer.getInt(p.srcAddressOffset, BIG_ENDIAN));
            Ipv4Flyweight.writeHeaderChecksum(buffer, 0);
            Icmpv4Flyweight.writeFragmentationNeededHeader(buffer, 20, mtu);
            buffer.putBytes(20 + Icmpv4Flyweight.HEADER_LENGTH, packetBuffer, offset, quote);
            Icmpv4Flyweight.writeChecksum(buffer, 20, icmpLength);
            length = 20 + icmpLength;
        }
        pending = true;
        return true;
    }

    static boolean isIcmp(final int protocol)
    {
        return IpProtocol.ICMP == protocol || IpProtocol.ICMPV6 == protocol;
    }

    static boolean isIcmpError(final ParsedPacket p)
    {
        return IpProtocol.ICMP == p.protocol ? Icmpv4Flyweight.isError(p.icmpType) :
            IpProtocol.ICMPV6 == p.protocol && Icmpv6Flyweight.isError(p.icmpType);
    }

    static boolean isEchoRequest(final ParsedPacket p)
    {
        return IpProtocol.ICMP == p.protocol ? Icmpv4Flyweight.TYPE_ECHO_REQUEST == p.icmpType :
            Icmpv6Flyweight.TYPE_ECHO_REQUEST == p.icmpType;
    }

    static boolean isEchoReply(final ParsedPacket p)
    {
        return IpProtocol.ICMP == p.protocol ? Icmpv4Flyweight.TYPE_ECHO_REPLY == p.icmpType :
            Icmpv6Flyweight.TYPE_ECHO_REPLY == p.icmpType;
    }
}
