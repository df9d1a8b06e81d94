package io.flyover.dataplane.protocol;

import java.nio.ByteOrder;

import org.agrona.DirectBuffer;
import org.agrona.MutableDirectBuffer;

/**
 * The Flyover tunnel tag: SipHash-2-4, keyed by the backbone key the option's key id names, over a
 * fixed byte string assembled from the tunnel header and the inner packet's flow fields. It binds
 * the route, direction, hop, service and send time to the flow the packet carries, so a relay or
 * the egress POP drops forged or altered tunnel packets.
 * <p>
 * The covered byte string (the "tag message"), 45 bytes for an inner IPv4 packet, 69 for IPv6:
 * <pre>
 * offset  v4  v6  length   content (bytes exactly as on the wire, network byte order)
 *      0   .   .    8      Geneve base header (Ver, Opt Len, O, C, protocol type, VNI, reserved)
 *      8   .   .   24      Flyover option bytes 0..23: option header, Ver/D, hop index, hop limit,
 *                          key id, route (4 x 16 bits), send time (everything before the tag)
 *     32   .   .  8 | 32   inner source address then destination address
 *            40  64   1    inner protocol (IPv4 protocol; IPv6 upper-layer next header)
 *            41  65   2    inner source port (TCP, UDP), else 0
 *            43  67   2    inner destination port (TCP, UDP), else 0
 * </pre>
 * ICMP and every protocol other than TCP and UDP contribute zero ports: the tag binds the tunnel
 * header to the flow's addresses and protocol, and the ICMP echo id would add a branch for little
 * protection (the payload is not covered in any case). Other Geneve options, the outer IP and UDP
 * headers and the inner payload are not covered.
 * <p>
 * The lengths are chosen so the message ends 5 bytes into its last SipHash word: 45 = 5 x 8 + 5,
 * 69 = 8 x 8 + 5, which means the final length word carries those bytes and no extra compression
 * is spent (an IPv4 tag is 6 compressions plus finalization, the minimum for 45 bytes). No bytes
 * are copied: each 8-byte word is read little-endian straight from the packet where it lies (the
 * Geneve header, the option, the inner addresses) and the last word is built from the protocol
 * byte and the 4 port bytes. {@link #coveredBytes} writes the same message out, as the reference
 * the tests compare against.
 * <p>
 * The tag is stored big-endian in the option's tag field, like every other field.
 * <p>
 * Verification compares the two 64-bit values with {@code ==}: one comparison of two machine
 * words, with no data-dependent early exit, so a byte-by-byte timing oracle does not exist; a
 * dedicated constant-time compare would buy nothing for a 64-bit MAC in a forwarding engine.
 * <p>
 * Offsets are absolute buffer indexes: the Geneve header, the Flyover option (from
 * {@link ParsedTunnel}), the inner IP header, and the inner L4 header (from the inner packet
 * parser; ignored unless the protocol is TCP or UDP, and then 4 bytes must be readable there).
 * IPv4 versus IPv6 follows the Geneve protocol type; the inner header of that version must be
 * present (a {@link GeneveParser} OK, which checks the inner version nibble against the protocol
 * type, then an inner {@link PacketParser} OK ensure it). Stateless, zero allocation; any thread.
 */
public final class TunnelTag
{
    /** Length of the tag message for an inner IPv4 packet. */
    public static final int COVERED_LENGTH_IPV4 = 45;
    /** Length of the tag message for an inner IPv6 packet. */
    public static final int COVERED_LENGTH_IPV6 = 69;
    /** Largest tag message length. */
    public static final int MAX_COVERED_LENGTH = COVERED_LENGTH_IPV6;

    /** IP protocol number of TCP. */
    public static final int PROTOCOL_TCP = 6;
    /** IP protocol number of UDP. */
    public static final int PROTOCOL_UDP = 17;

    /** Offset of the source address in an IPv4 header (destination follows). */
    static final int IPV4_SRC_OFFSET = 12;
    /** Offset of the source address in an IPv6 header (destination follows). */
    static final int IPV6_SRC_OFFSET = 8;

    private TunnelTag()
    {
    }

    /**
     * @param k0            key bytes 0..7, little-endian.
     * @param k1            key bytes 8..15, little-endian.
     * @param buffer        holding the packet.
     * @param geneveOffset  of the Geneve base header.
     * @param optionOffset  of the Flyover option.
     * @param innerOffset   of the inner IP header.
     * @param innerProtocol inner L4 protocol (for IPv6 after extension headers).
     * @param innerL4Offset of the inner L4 header; read only for TCP and UDP.
     * @return the tag.
     */
    public static long compute(
        final long k0,
        final long k1,
        final DirectBuffer buffer,
        final int geneveOffset,
        final int optionOffset,
        final int innerOffset,
        final int innerProtocol,
        final int innerL4Offset)
    {
        final boolean ipv6 = GeneveFlyweight.PROTOCOL_TYPE_IPV6 ==
            (buffer.getShort(geneveOffset + GeneveFlyweight.PROTOCOL_TYPE_OFFSET, ByteOrder.BIG_ENDIAN) & 0xFFFF);
        final int addressOffset = innerOffset + (ipv6 ? IPV6_SRC_OFFSET : IPV4_SRC_OFFSET);
        final int addressEnd = addressOffset + (ipv6 ? 32 : 8);
        final long coveredLength = ipv6 ? COVERED_LENGTH_IPV6 : COVERED_LENGTH_IPV4;

        long v0 = k0 ^ SipHash24.C0;
        long v1 = k1 ^ SipHash24.C1;
        long v2 = k0 ^ SipHash24.C2;
        long v3 = k1 ^ SipHash24.C3;

        // Words 0..3: the Geneve base header, then the option's first 24 bytes. A constant trip
        // count, so the compiler unrolls it and the offset choice folds away.
        for (int i = 0; i < 4; i++)
        {
            final long m = buffer.getLong(
                0 == i ? geneveOffset : optionOffset + ((i - 1) << 3), ByteOrder.LITTLE_ENDIAN);
            v3 ^= m;
            for (int r = 0; r < 2; r++)
            {
                v0 += v1; v1 = Long.rotateLeft(v1, 13); v1 ^= v0; v0 = Long.rotateLeft(v0, 32);
                v2 += v3; v3 = Long.rotateLeft(v3, 16); v3 ^= v2;
                v0 += v3; v3 = Long.rotateLeft(v3, 21); v3 ^= v0;
                v2 += v1; v1 = Long.rotateLeft(v1, 17); v1 ^= v2; v2 = Long.rotateLeft(v2, 32);
            }
            v0 ^= m;
        }

        // Words 4..: the inner source and destination addresses, contiguous in the inner header.
        for (int at = addressOffset; at < addressEnd; at += 8)
        {
            final long m = buffer.getLong(at, ByteOrder.LITTLE_ENDIAN);
            v3 ^= m;
            for (int r = 0; r < 2; r++)
            {
                v0 += v1; v1 = Long.rotateLeft(v1, 13); v1 ^= v0; v0 = Long.rotateLeft(v0, 32);
                v2 += v3; v3 = Long.rotateLeft(v3, 16); v3 ^= v2;
                v0 += v3; v3 = Long.rotateLeft(v3, 21); v3 ^= v0;
                v2 += v1; v1 = Long.rotateLeft(v1, 17); v1 ^= v2; v2 = Long.rotateLeft(v2, 32);
            }
            v0 ^= m;
        }

        final long ports = hasPorts(innerProtocol) ?
            buffer.getInt(innerL4Offset, ByteOrder.LITTLE_ENDIAN) & 0xFFFF_FFFFL : 0L;
        final long last = (coveredLength << 56) | (ports << 8) | (innerProtocol & 0xFF);
        return SipHash24.finish(v0, v1, v2, v3, last);
    }

    /**
     * Computes the tag with the key the option's key id names and stores it in the option.
     *
     * @param keys          the valid keys.
     * @param buffer        holding the packet.
     * @param geneveOffset  of the Geneve base header.
     * @param optionOffset  of the Flyover option.
     * @param innerOffset   of the inner IP header.
     * @param innerProtocol inner L4 protocol.
     * @param innerL4Offset of the inner L4 header; read only for TCP and UDP.
     * @return {@link ParseVerdict#OK}, or {@link ParseVerdict#FLYOVER_UNKNOWN_KEY_ID} (nothing written).
     */
    public static ParseVerdict writeTag(
        final TunnelKeys keys,
        final MutableDirectBuffer buffer,
        final int geneveOffset,
        final int optionOffset,
        final int innerOffset,
        final int innerProtocol,
        final int innerL4Offset)
    {
        final int keyId = FlyoverOptionFlyweight.keyId(buffer, optionOffset);
        if (!keys.contains(keyId))
        {
            return ParseVerdict.FLYOVER_UNKNOWN_KEY_ID;
        }
        final long tag = compute(
            keys.k0(keyId), keys.k1(keyId), buffer, geneveOffset, optionOffset, innerOffset, innerProtocol, innerL4Offset);
        FlyoverOptionFlyweight.tag(buffer, optionOffset, tag);
        return ParseVerdict.OK;
    }

    /**
     * Checks the option's tag against the key its key id names.
     *
     * @param keys          the valid keys.
     * @param buffer        holding the packet.
     * @param geneveOffset  of the Geneve base header.
     * @param optionOffset  of the Flyover option.
     * @param innerOffset   of the inner IP header.
     * @param innerProtocol inner L4 protocol.
     * @param innerL4Offset of the inner L4 header; read only for TCP and UDP.
     * @return {@link ParseVerdict#OK}, {@link ParseVerdict#FLYOVER_UNKNOWN_KEY_ID} or
     * {@link ParseVerdict#FLYOVER_BAD_TAG}.
     */
    public static ParseVerdict verify(
        final TunnelKeys keys,
        final DirectBuffer buffer,
        final int geneveOffset,
        final int optionOffset,
        final int innerOffset,
        final int innerProtocol,
        final int innerL4Offset)
    {
        final int keyId = FlyoverOptionFlyweight.keyId(buffer, optionOffset);
        if (!keys.contains(keyId))
        {
            return ParseVerdict.FLYOVER_UNKNOWN_KEY_ID;
        }
        final long expected = compute(
            keys.k0(keyId), keys.k1(keyId), buffer, geneveOffset, optionOffset, innerOffset, innerProtocol, innerL4Offset);
        return expected == FlyoverOptionFlyweight.tag(buffer, optionOffset) ? ParseVerdict.OK : ParseVerdict.FLYOVER_BAD_TAG;
    }

    /**
     * {@link #verify(TunnelKeys, DirectBuffer, int, int, int, int, int)} with the offsets of a
     * successful {@link GeneveParser#parse}.
     *
     * @param keys          the valid keys.
     * @param buffer        holding the packet.
     * @param tunnel        as parsed from this buffer.
     * @param innerProtocol inner L4 protocol.
     * @param innerL4Offset of the inner L4 header; read only for TCP and UDP.
     * @return {@link ParseVerdict#OK}, {@link ParseVerdict#FLYOVER_UNKNOWN_KEY_ID} or
     * {@link ParseVerdict#FLYOVER_BAD_TAG}.
     */
    public static ParseVerdict verify(
        final TunnelKeys keys,
        final DirectBuffer buffer,
        final ParsedTunnel tunnel,
        final int innerProtocol,
        final int innerL4Offset)
    {
        return verify(
            keys,
            buffer,
            tunnel.geneveOffset,
            tunnel.flyoverOptionOffset,
            tunnel.innerOffset,
            innerProtocol,
            innerL4Offset);
    }

    /**
     * {@link #writeTag(TunnelKeys, MutableDirectBuffer, int, int, int, int, int)} with the offsets
     * of a successful {@link GeneveParser#parse}: the relay's re-tag after
     * {@link FlyoverOptionFlyweight#advanceHop}.
     *
     * @param keys          the valid keys.
     * @param buffer        holding the packet.
     * @param tunnel        as parsed from this buffer.
     * @param innerProtocol inner L4 protocol.
     * @param innerL4Offset of the inner L4 header; read only for TCP and UDP.
     * @return {@link ParseVerdict#OK}, or {@link ParseVerdict#FLYOVER_UNKNOWN_KEY_ID} (nothing written).
     */
    public static ParseVerdict writeTag(
        final TunnelKeys keys,
        final MutableDirectBuffer buffer,
        final ParsedTunnel tunnel,
        final int innerProtocol,
        final int innerL4Offset)
    {
        return writeTag(
            keys,
            buffer,
            tunnel.geneveOffset,
            tunnel.flyoverOptionOffset,
            tunnel.innerOffset,
            innerProtocol,
            innerL4Offset);
    }

    /**
     * Writes the tag message out byte by byte: the reference definition of what the tag covers
     * (tests hash it with {@link SipHash24#hash} and compare with {@link #compute}). Not for the
     * hot path.
     *
     * @param buffer        holding the packet.
     * @param geneveOffset  of the Geneve base header.
     * @param optionOffset  of the Flyover option.
     * @param innerOffset   of the inner IP header.
     * @param innerProtocol inner L4 protocol.
     * @param innerL4Offset of the inner L4 header; read only for TCP and UDP.
     * @param dst           receives the message; needs {@link #MAX_COVERED_LENGTH} bytes.
     * @param dstOffset     where the message starts in {@code dst}.
     * @return the message length, {@link #COVERED_LENGTH_IPV4} or {@link #COVERED_LENGTH_IPV6}.
     */
    public static int coveredBytes(
        final DirectBuffer buffer,
        final int geneveOffset,
        final int optionOffset,
        final int innerOffset,
        final int innerProtocol,
        final int innerL4Offset,
        final MutableDirectBuffer dst,
        final int dstOffset)
    {
        final boolean ipv6 = GeneveFlyweight.PROTOCOL_TYPE_IPV6 == GeneveFlyweight.protocolType(buffer, geneveOffset);
        int at = dstOffset;
        dst.putBytes(at, buffer, geneveOffset, GeneveFlyweight.HEADER_LENGTH);
        at += GeneveFlyweight.HEADER_LENGTH;
        dst.putBytes(at, buffer, optionOffset, FlyoverOptionFlyweight.COVERED_LENGTH);
        at += FlyoverOptionFlyweight.COVERED_LENGTH;
        final int addressesLength = ipv6 ? 32 : 8;
        dst.putBytes(at, buffer, innerOffset + (ipv6 ? IPV6_SRC_OFFSET : IPV4_SRC_OFFSET), addressesLength);
        at += addressesLength;
        dst.putByte(at++, (byte)innerProtocol);
        if (hasPorts(innerProtocol))
        {
            dst.putBytes(at, buffer, innerL4Offset, 4);
        }
        else
        {
            dst.putInt(at, 0);
        }
        at += 4;
        return at - dstOffset;
    }

    /**
     * @param protocol an IP protocol number.
     * @return true if the tag covers that protocol's ports (TCP and UDP).
     */
    public static boolean hasPorts(final int protocol)
    {
        return PROTOCOL_TCP == protocol || PROTOCOL_UDP == protocol;
    }
}
