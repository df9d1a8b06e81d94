package io.flyover.dataplane.protocol;

import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Assume;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.Size;
import org.agrona.concurrent.UnsafeBuffer;

import static java.nio.ByteOrder.BIG_ENDIAN;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * RFC 1624 incremental updates always equal a full recompute (RFC 1071), for random data, random
 * packets and random field changes.
 */
class ChecksumPropertyTest
{
    private final ParsedPacket packet = new ParsedPacket();

    @Provide
    Arbitrary<PacketSpecs.Spec> udpOrTcp()
    {
        return PacketSpecs.specs(Arbitraries.of(4, 6), Arbitraries.of(PacketSpecs.UDP, PacketSpecs.TCP));
    }

    @Provide
    Arbitrary<PacketSpecs.Spec> tcp()
    {
        return PacketSpecs.specs(Arbitraries.of(4, 6), Arbitraries.just(PacketSpecs.TCP));
    }

    @Provide
    Arbitrary<PacketSpecs.Spec> ipv4()
    {
        return PacketSpecs.specs(Arbitraries.just(4), Arbitraries.integers().between(PacketSpecs.UDP, PacketSpecs.ERROR));
    }

    @Property
    void shouldVerifyAfterWritingChecksumOverAnyBytes(
        @ForAll @Size(max = 300) final byte[] data, @ForAll @IntRange(max = 7) final int offset)
    {
        Assume.that(hasNonZeroByte(data, 0, data.length));
        final UnsafeBuffer buffer = new UnsafeBuffer(new byte[offset + data.length + 2]);
        buffer.putBytes(offset + 2, data);

        buffer.putShort(offset, (short)Checksums.checksum(buffer, offset, data.length + 2), BIG_ENDIAN);

        assertTrue(Checksums.isValid(buffer, offset, data.length + 2, 0));
    }

    @Property
    void shouldSumTheSameAtEveryAlignment(@ForAll @Size(max = 200) final byte[] data, @ForAll @IntRange(max = 15) final int offset)
    {
        final UnsafeBuffer aligned = new UnsafeBuffer(data);
        final UnsafeBuffer shifted = new UnsafeBuffer(new byte[offset + data.length]);
        shifted.putBytes(offset, data);

        assertEquals(naiveSum(data), Checksums.sum(aligned, 0, data.length));
        assertEquals(naiveSum(data), Checksums.sum(shifted, offset, data.length));
    }

    @Property
    void shouldUpdate16BitFieldLikeFullRecompute(
        @ForAll @Size(min = 2, max = 200) final byte[] data, @ForAll final int fieldIndex, @ForAll final short newValue)
    {
        final int index = Math.floorMod(fieldIndex, data.length - 1);
        final UnsafeBuffer buffer = new UnsafeBuffer(data.clone());
        final int before = Checksums.checksum(buffer, 0, data.length);
        final int oldValue = buffer.getShort(index, BIG_ENDIAN) & 0xFFFF;

        buffer.putShort(index, newValue, BIG_ENDIAN);
        Assume.that(hasNonZeroByte(buffer.byteArray(), 0, data.length));
        final int updated = 0 == (index & 1) ?
            Checksums.update16(before, oldValue, newValue & 0xFFFF) :
            Checksums.update16(before, swap(oldValue), swap(newValue & 0xFFFF));

        assertEquals(Checksums.checksum(buffer, 0, data.length), updated);
    }

    @Property
    void shouldUpdate32BitFieldLikeFullRecompute(
        @ForAll @Size(min = 4, max = 200) final byte[] data, @ForAll final int fieldIndex, @ForAll final int newValue)
    {
        final int index = 2 * Math.floorMod(fieldIndex, (data.length - 2) / 2);
        final UnsafeBuffer buffer = new UnsafeBuffer(data.clone());
        final int before = Checksums.checksum(buffer, 0, data.length);
        final int oldValue = buffer.getInt(index, BIG_ENDIAN);

        buffer.putInt(index, newValue, BIG_ENDIAN);
        Assume.that(hasNonZeroByte(buffer.byteArray(), 0, data.length));

        assertEquals(Checksums.checksum(buffer, 0, data.length), Checksums.update32(before, oldValue, newValue));
    }

    @Property
    void shouldRewriteAddressesAndPortsOfAnyPacketLikeFullRecompute(
        @ForAll("udpOrTcp") final PacketSpecs.Spec spec,
        @ForAll final boolean source,
        @ForAll final long newHigh,
        @ForAll final long newLow,
        @ForAll final short newPort)
    {
        final UnsafeBuffer buffer = parse(spec);
        final int l3 = packet.l3Offset;
        final int l4 = packet.l4Offset;
        final boolean udp = IpProtocol.UDP == packet.protocol;
        final int checksumOffset = packet.l4ChecksumOffset;
        int l4Checksum = buffer.getShort(checksumOffset, BIG_ENDIAN) & 0xFFFF;

        // Address: IPv4 changes its header checksum and the pseudo-header; IPv6 only the pseudo-header.
        final int addressOffset = source ? packet.srcAddressOffset : packet.dstAddressOffset;
        if (4 == packet.ipVersion)
        {
            final int oldAddress = buffer.getInt(addressOffset, BIG_ENDIAN);
            final int newAddress = (int)newLow;
            buffer.putInt(addressOffset, newAddress, BIG_ENDIAN);
            Ipv4Flyweight.headerChecksum(buffer, l3,
                Checksums.update32(Ipv4Flyweight.headerChecksum(buffer, l3), oldAddress, newAddress));
            l4Checksum = udp ?
                Checksums.updateUdp32(l4Checksum, oldAddress, newAddress) :
                Checksums.update32(l4Checksum, oldAddress, newAddress);
        }
        else
        {
            final long oldHigh = buffer.getLong(addressOffset, BIG_ENDIAN);
            final long oldLow = buffer.getLong(addressOffset + 8, BIG_ENDIAN);
            buffer.putLong(addressOffset, newHigh, BIG_ENDIAN);
            buffer.putLong(addressOffset + 8, newLow, BIG_ENDIAN);
            l4Checksum = udp ?
                Checksums.updateUdp128(l4Checksum, oldHigh, oldLow, newHigh, newLow) :
                Checksums.update128(l4Checksum, oldHigh, oldLow, newHigh, newLow);
        }

        // Port: covered by the L4 checksum only.
        final int portOffset = l4 + (source ? 0 : 2);
        final int oldPort = buffer.getShort(portOffset, BIG_ENDIAN) & 0xFFFF;
        buffer.putShort(portOffset, newPort, BIG_ENDIAN);
        l4Checksum = udp ?
            Checksums.updateUdp16(l4Checksum, oldPort, newPort & 0xFFFF) :
            Checksums.update16(l4Checksum, oldPort, newPort & 0xFFFF);

        if (4 == packet.ipVersion)
        {
            assertEquals(Ipv4Flyweight.computeHeaderChecksum(buffer, l3, packet.l3HeaderLength),
                Ipv4Flyweight.headerChecksum(buffer, l3));
        }
        assertEquals(recomputeL4Checksum(buffer), l4Checksum);
    }

    @Property
    void shouldClampMssLikeFullRecompute(
        @ForAll("tcp") final PacketSpecs.Spec spec,
        @ForAll @IntRange(max = 0xFFFF) final int mss,
        @ForAll @IntRange(max = 0xFFFF) final int maxMss,
        @ForAll final boolean leadingNop)
    {
        final TestPacketBuilder builder = spec.builder();
        builder.mss = mss;
        builder.tcpLeadingNop = leadingNop;
        final UnsafeBuffer buffer = new UnsafeBuffer(builder.build());
        assertEquals(ParseVerdict.OK, parse(builder, buffer));

        final int before = TcpFlyweight.clampMssAt(buffer, packet.l4Offset, packet.tcpMssOptionOffset, maxMss);

        assertEquals(mss, before);
        assertEquals(Math.min(mss, maxMss), TcpFlyweight.mss(buffer, packet.l4Offset, packet.tcpHeaderLength));
        assertEquals(recomputeL4Checksum(buffer), TcpFlyweight.checksum(buffer, packet.l4Offset));
    }

    @Property
    void shouldDecrementTtlLikeFullRecompute(@ForAll("ipv4") final PacketSpecs.Spec spec)
    {
        final UnsafeBuffer buffer = parse(spec);

        assertEquals(spec.ip4().ttl() - 1, Ipv4Flyweight.decrementTtl(buffer, packet.l3Offset));
        assertEquals(Ipv4Flyweight.computeHeaderChecksum(buffer, packet.l3Offset, packet.l3HeaderLength),
            Ipv4Flyweight.headerChecksum(buffer, packet.l3Offset));
        assertEquals(ParseVerdict.OK, parse(spec.builder(), buffer));
    }

    private UnsafeBuffer parse(final PacketSpecs.Spec spec)
    {
        final TestPacketBuilder builder = spec.builder();
        final UnsafeBuffer buffer = new UnsafeBuffer(builder.build());
        assertEquals(ParseVerdict.OK, parse(builder, buffer));
        return buffer;
    }

    private ParseVerdict parse(final TestPacketBuilder builder, final UnsafeBuffer buffer)
    {
        return builder.ethernet ?
            PacketParser.parseEthernet(buffer, 0, buffer.capacity(), packet) :
            PacketParser.parseIp(buffer, 0, buffer.capacity(), packet);
    }

    /**
     * Recompute the L4 checksum of the parsed packet from scratch, on a copy.
     */
    private int recomputeL4Checksum(final UnsafeBuffer buffer)
    {
        final UnsafeBuffer copy = new UnsafeBuffer(buffer.byteArray().clone());
        copy.putShort(packet.l4ChecksumOffset, (short)0, BIG_ENDIAN);
        final int pseudo = 4 == packet.ipVersion ?
            Checksums.ipv4PseudoHeaderSum(copy, packet.l3Offset, packet.protocol, packet.l4Length) :
            Checksums.ipv6PseudoHeaderSum(copy, packet.l3Offset, packet.protocol, packet.l4Length);
        final int checksum = Checksums.checksum(copy, packet.l4Offset, packet.l4Length, pseudo);
        return IpProtocol.UDP == packet.protocol ? Checksums.udpChecksum(checksum) : checksum;
    }

    private static int naiveSum(final byte[] data)
    {
        long sum = 0;
        for (int i = 0; i < data.length; i += 2)
        {
            final int high = (data[i] & 0xFF) << 8;
            final int low = i + 1 < data.length ? data[i + 1] & 0xFF : 0;
            sum += high | low;
        }
        while ((sum >>> 16) != 0)
        {
            sum = (sum & 0xFFFF) + (sum >>> 16);
        }
        return (int)sum;
    }

    private static boolean hasNonZeroByte(final byte[] data, final int from, final int to)
    {
        for (int i = from; i < to; i++)
        {
            if (0 != data[i])
            {
                return true;
            }
        }
        return false;
    }

    private static int swap(final int value)
    {
        return ((value & 0xFF) << 8) | (value >>> 8);
    }
}
