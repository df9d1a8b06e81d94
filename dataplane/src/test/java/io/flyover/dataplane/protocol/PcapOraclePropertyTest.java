package io.flyover.dataplane.protocol;

import net.jqwik.api.Arbitrary;
import net.jqwik.api.Assume;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.statistics.Statistics;
import org.pcap4j.packet.EthernetPacket;
import org.pcap4j.packet.IcmpV4CommonPacket;
import org.pcap4j.packet.IcmpV6CommonPacket;
import org.pcap4j.packet.IpPacket;
import org.pcap4j.packet.IpV4Packet;
import org.pcap4j.packet.IpV6ExtFragmentPacket;
import org.pcap4j.packet.IpV6Packet;
import org.pcap4j.packet.Packet;
import org.pcap4j.packet.TcpPacket;
import org.pcap4j.packet.UdpPacket;
import org.pcap4j.packet.factory.PacketFactories;
import org.pcap4j.packet.namednumber.IpNumber;

import java.net.Inet6Address;
import java.net.InetAddress;
import java.nio.ByteBuffer;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Random packets written by Flyover, decoded by pcap4j: addresses, ports, lengths and every checksum agree.
 * (pcap4j knows neither 802.1ad nor AH, so those are left to the golden vectors.)
 */
class PcapOraclePropertyTest
{
    @Provide
    Arbitrary<PacketSpecs.Spec> packets()
    {
        return PacketSpecs.specs();
    }

    @Property
    void shouldAgreeWithPcap4jOnRandomPackets(@ForAll("packets") final PacketSpecs.Spec spec) throws Exception
    {
        Assume.that(!spec.l2().serviceTag() || spec.l2().vlanTags() == 0 || !spec.l2().ethernet());
        Assume.that(4 == spec.ipVersion() || !spec.ip6().extensionHeaders().contains(IpProtocol.AH));
        Statistics.label("kind").collect(spec.ipVersion(), spec.l4().kind());
        final TestPacketBuilder builder = spec.builder();
        final byte[] bytes = builder.build();

        final Packet decoded = builder.ethernet ?
            EthernetPacket.newPacket(bytes, 0, bytes.length) :
            4 == spec.ipVersion() ? IpV4Packet.newPacket(bytes, 0, bytes.length) : IpV6Packet.newPacket(bytes, 0, bytes.length);

        final IpPacket ip = 4 == spec.ipVersion() ? decoded.get(IpV4Packet.class) : decoded.get(IpV6Packet.class);
        assertNotNull(ip, decoded::toString);
        final InetAddress src = ip.getHeader().getSrcAddr();
        final InetAddress dst = ip.getHeader().getDstAddr();
        if (4 == spec.ipVersion())
        {
            final IpV4Packet.IpV4Header header = ((IpV4Packet)ip).getHeader();
            assertTrue(header.hasValidChecksum(false));
            assertEquals(spec.ip4().src(), ByteBuffer.wrap(src.getAddress()).getInt());
            assertEquals(spec.ip4().dst(), ByteBuffer.wrap(dst.getAddress()).getInt());
            assertEquals(builder.l3End - builder.l3Offset, header.getTotalLengthAsInt());
            assertEquals(spec.ip4().ttl(), header.getTtlAsInt());
        }
        else
        {
            final IpV6Packet.IpV6Header header = ((IpV6Packet)ip).getHeader();
            assertArrayEquals(address(spec.ip6().srcHigh(), spec.ip6().srcLow()), src.getAddress());
            assertArrayEquals(address(spec.ip6().dstHigh(), spec.ip6().dstLow()), dst.getAddress());
            assertEquals(builder.l3End - builder.l3Offset - 40, header.getPayloadLengthAsInt());
            assertEquals(spec.ip6().flowLabel(), header.getFlowLabel().value());
        }

        switch (builder.protocol)
        {
            case IpProtocol.UDP ->
            {
                final UdpPacket udp = find(decoded, UdpPacket.class);
                assertEquals(spec.l4().srcPort(), udp.getHeader().getSrcPort().valueAsInt());
                assertEquals(spec.l4().dstPort(), udp.getHeader().getDstPort().valueAsInt());
                assertTrue(udp.hasValidChecksum(src, dst, false));
            }
            case IpProtocol.TCP ->
            {
                final TcpPacket tcp = find(decoded, TcpPacket.class);
                assertEquals(spec.l4().srcPort(), tcp.getHeader().getSrcPort().valueAsInt());
                assertEquals(spec.l4().dstPort(), tcp.getHeader().getDstPort().valueAsInt());
                assertEquals(spec.l4().tcp().sequence(), tcp.getHeader().getSequenceNumber());
                assertEquals(builder.tcpHeaderLength, tcp.getHeader().getDataOffsetAsInt() * 4);
                assertTrue(tcp.hasValidChecksum(src, dst, false));
            }
            case IpProtocol.ICMP ->
            {
                final IcmpV4CommonPacket icmp = find(decoded, IcmpV4CommonPacket.class);
                assertEquals(builder.icmpType, icmp.getHeader().getType().value() & 0xFF);
                assertTrue(icmp.hasValidChecksum(false));
            }
            default ->
            {
                final IcmpV6CommonPacket icmp = find(decoded, IcmpV6CommonPacket.class);
                assertEquals(builder.icmpType, icmp.getHeader().getType().value() & 0xFF);
                assertTrue(icmp.hasValidChecksum((Inet6Address)src, (Inet6Address)dst, false));
            }
        }
    }

    /**
     * The outermost packet of a class. pcap4j treats whatever follows an IPv6 fragment header as fragment
     * data, atomic or not: when the class is not found, decode the data after the (outer) fragment header
     * with pcap4j's own factory for its next header, and look again.
     */
    private static <T extends Packet> T find(final Packet decoded, final Class<T> type)
    {
        final T found = decoded.get(type);
        final IpV6ExtFragmentPacket fragment = decoded.get(IpV6ExtFragmentPacket.class);
        if (null != found || null == fragment)
        {
            return found;
        }

        final byte[] data = fragment.getPayload().getRawData();
        return find(PacketFactories.getFactory(Packet.class, IpNumber.class)
            .newInstance(data, 0, data.length, fragment.getHeader().getNextHeader()), type);
    }

    private static byte[] address(final long high, final long low)
    {
        return ByteBuffer.allocate(16).putLong(high).putLong(low).array();
    }
}
