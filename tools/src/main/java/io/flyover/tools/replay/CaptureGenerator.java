package io.flyover.tools.replay;

import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import org.agrona.concurrent.UnsafeBuffer;

import io.flyover.dataplane.engine.PortRole;
import io.flyover.dataplane.protocol.Checksums;
import io.flyover.dataplane.protocol.IpProtocol;
import io.flyover.dataplane.protocol.Ipv4Flyweight;
import io.flyover.dataplane.protocol.TcpFlyweight;
import io.flyover.dataplane.world.IpPackets;
import io.flyover.tools.pcap.CaptureWriter;
import io.flyover.tools.pcap.LinkType;

import static java.nio.ByteOrder.BIG_ENDIAN;

/**
 * Writes the captures replay's tests and measurements use, deterministically (the same
 * arguments give the same bytes). Kinds:
 * <ul>
 *   <li>{@code edge-mix}: what clients send POP a of the built-in world — TCP and UDP flows to the
 *   VIP's two services, an ICMP echo, packets for no service, IPv4 and IPv6 fragments, a bad
 *   header checksum, a truncated packet, one too big for the tunnel (DF set), IPv6, an ICMP error
 *   for no flow, garbage, and (on links with an EtherType) an ARP frame;</li>
 *   <li>{@code backbone-mix}: what POP a sends into the backbone for the edge-mix packets (made by
 *   replaying them through a), followed by copies with a flipped tag byte and with an unknown
 *   sender;</li>
 *   <li>{@code flows}: {@code --packets} UDP and TCP packets to the VIP over {@code --flows}
 *   flows, 44 to 103 bytes of IP, for measurements.</li>
 * </ul>
 * Packets are 10 µs apart from 2023-11-14T22:13:20Z (plus 1 ns per packet, seen only in
 * nanosecond captures). Ethernet frames are padded to 60 bytes and every fifth carries an 802.1Q
 * tag. Runs on the caller's thread; not on any packet path.
 */
public final class CaptureGenerator
{
    /** Capture time of the first packet, ns since the epoch. */
    public static final long FIRST_TIMESTAMP_NS = 1_700_000_000_000_000_000L;
    /** Time between packets, ns. */
    public static final long SPACING_NS = 10_001L;

    private static final int CLIENT = 0xC6336407;      // 198.51.100.7
    private static final int OTHER_HOST = 0xC0000201;  // 192.0.2.1
    private static final long V6_PREFIX = 0x20010DB800000000L;

    private final UnsafeBuffer frame = new UnsafeBuffer(new byte[4096]);
    private final UnsafeBuffer payload = new UnsafeBuffer(new byte[4096]);

    /**
     * The generator's settings.
     *
     * @param kind       {@code edge-mix}, {@code backbone-mix} or {@code flows}.
     * @param linkType   link type of the capture.
     * @param pcapng     pcapng, else pcap.
     * @param nanos      nanosecond timestamps, else microseconds.
     * @param bigEndian  write the file big-endian.
     * @param packets    packets, for {@code flows}.
     * @param flows      flows, for {@code flows}.
     */
    public record Spec(String kind, int linkType, boolean pcapng, boolean nanos, boolean bigEndian, long packets, int flows)
    {
        /**
         * Checks the settings.
         */
        public Spec
        {
            if (!List.of("edge-mix", "backbone-mix", "flows").contains(kind))
            {
                throw new IllegalArgumentException("unknown kind '" + kind + "' (edge-mix, backbone-mix, flows)");
            }
            if (packets < 1 || packets > 100_000_000L)
            {
                throw new IllegalArgumentException("--packets must be 1..100000000");
            }
            if (flows < 1 || flows > 1 << 24)
            {
                throw new IllegalArgumentException("--flows must be 1..16777216");
            }
        }
    }

    /**
     * Writes a capture.
     *
     * @param spec what to write.
     * @param path where.
     * @return packets written.
     */
    public long write(final Spec spec, final Path path)
    {
        try (CaptureWriter writer = CaptureWriter.open(path, spec.pcapng(), spec.linkType(), spec.nanos(),
            spec.bigEndian() ? ByteOrder.BIG_ENDIAN : ByteOrder.LITTLE_ENDIAN))
        {
            long index = 0;
            if ("flows".equals(spec.kind()))
            {
                for (; index < spec.packets(); index++)
                {
                    final int length = flowPacket(index, spec.flows());
                    emit(writer, spec.linkType(), index, frame.byteArray(), length, true);
                }
                return index;
            }
            final List<byte[]> packets = "edge-mix".equals(spec.kind()) ? edgeMix() : backboneMix();
            long timeSlot = 0;
            for (final byte[] packet : packets)
            {
                if (0 == packet.length)
                {
                    // the ARP frame: only where an EtherType can say so
                    if (hasEtherType(spec.linkType()))
                    {
                        emitArp(writer, spec.linkType(), timeSlot);
                        index++;
                    }
                    // its time slot stays empty elsewhere, so every link type has the same timestamps
                    timeSlot++;
                    continue;
                }
                emit(writer, spec.linkType(), timeSlot++, packet, packet.length, true);
                index++;
            }
            return index;
        }
    }

    private static boolean hasEtherType(final int linkType)
    {
        return LinkType.ETHERNET == linkType || LinkType.LINUX_SLL == linkType || LinkType.LINUX_SLL2 == linkType;
    }

    private int flowPacket(final long index, final int flows)
    {
        final int flow = (int)((index * 2_654_435_761L) % flows);
        final int client = CLIENT + (flow >>> 12);
        final int port = 1024 + (flow & 0xFFF);
        final int payloadLength = 16 + (int)(index % 48);
        payload.putLong(0, index);
        final int length;
        if ((flow & 1) == 0)
        {
            length = IpPackets.udp4(frame, 0, client, port, ReplayWorld.VIP, 53, payload, 0, payloadLength);
        }
        else
        {
            length = IpPackets.tcp4(frame, 0, client, port, ReplayWorld.VIP, 80, (int)index, 1,
                TcpFlyweight.FLAG_ACK, 0, payload, 0, payloadLength);
        }
        return length;
    }

    /**
     * @return the edge-mix packets as raw IP, an empty array standing for the ARP frame.
     */
    List<byte[]> edgeMix()
    {
        final List<byte[]> out = new ArrayList<>();
        // a TCP connection to the web service: SYN with an MSS the tunnel cannot carry, data, FIN
        out.add(copy(IpPackets.tcp4(frame, 0, CLIENT, 40_000, ReplayWorld.VIP, 80, 1000, 0, TcpFlyweight.FLAG_SYN, 1460,
            payload, 0, 0)));
        out.add(copy(IpPackets.tcp4(frame, 0, CLIENT, 40_000, ReplayWorld.VIP, 80, 1001, 5001, TcpFlyweight.FLAG_ACK, 0,
            ascii("GET / HTTP/1.0\r\n\r\n"), 0, 18)));
        // DNS queries from sixteen clients: the route a->c or a->b->c is the flow hash's choice
        for (int i = 0; i < 16; i++)
        {
            final int query = dnsQuery(0x1200 + i);
            out.add(copy(IpPackets.udp4(frame, 0, CLIENT + 1 + i, 5300 + i, ReplayWorld.VIP, 53, payload, 0, query)));
        }
        // an ICMP echo request to the VIP
        out.add(icmpEcho(ReplayWorld.VIP));
        // no such service: another port of the VIP, another address
        out.add(copy(IpPackets.udp4(frame, 0, CLIENT, 5000, ReplayWorld.VIP, 9999, ascii("nothing here"), 0, 12)));
        out.add(copy(IpPackets.tcp4(frame, 0, CLIENT, 40_001, OTHER_HOST, 80, 1, 0, TcpFlyweight.FLAG_SYN, 1460,
            payload, 0, 0)));
        // an IPv4 fragment of a DNS query
        final int fragmentLength = IpPackets.udp4(frame, 0, CLIENT, 5301, ReplayWorld.VIP, 53, ascii("fragmented query"), 0, 16);
        frame.putShort(Ipv4Flyweight.FLAGS_FRAGMENT_OFFSET, (short)Ipv4Flyweight.FLAG_MORE_FRAGMENTS, BIG_ENDIAN);
        Ipv4Flyweight.writeHeaderChecksum(frame, 0);
        out.add(copy(fragmentLength));
        // a bad IPv4 header checksum
        final int badLength = IpPackets.udp4(frame, 0, CLIENT, 5302, ReplayWorld.VIP, 53, ascii("bad checksum"), 0, 12);
        frame.putShort(Ipv4Flyweight.HEADER_CHECKSUM_OFFSET, (short)(frame.getShort(10) ^ 0x5555));
        out.add(copy(badLength));
        // a packet cut short of its total length
        final int cutLength = IpPackets.udp4(frame, 0, CLIENT, 5303, ReplayWorld.VIP, 53, payload, 0, 200);
        out.add(copy(cutLength - 150));
        // too big for the tunnel, don't fragment: dropped, an ICMP fragmentation-needed goes back
        for (int i = 0; i < 1472; i++)
        {
            payload.putByte(i, (byte)i);
        }
        out.add(copy(IpPackets.udp4(frame, 0, CLIENT + 1, 5301, ReplayWorld.VIP, 53, payload, 0, 1472)));
        // IPv6: there is no IPv6 VIP in the built-in world
        payload.putInt(0, 0x6666_0001);
        out.add(copy(IpPackets.udp6(frame, 0, V6_PREFIX, 7, 5353, V6_PREFIX, 0x10, 53, payload, 0, 12)));
        // an IPv6 fragment
        out.add(ipv6Fragment());
        // an ICMP destination unreachable quoting a flow nobody has
        out.add(icmpUnreachableForNoFlow());
        // garbage: no IP version at all
        out.add(new byte[] {0x01, 0x02, 0x03, 0x04, 0x05, 0x06, 0x07, 0x08, 0x09, 0x0A, 0x0B, 0x0C});
        // an ARP request, where the link layer can carry one
        out.add(new byte[0]);
        // the TCP connection ends
        out.add(copy(IpPackets.tcp4(frame, 0, CLIENT, 40_000, ReplayWorld.VIP, 80, 1019, 5001,
            TcpFlyweight.FLAG_FIN | TcpFlyweight.FLAG_ACK, 0, payload, 0, 0)));
        return out;
    }

    /**
     * @return the backbone-mix packets as raw IP: POP a's tunnel packets for the edge mix, then
     *     forged copies.
     */
    List<byte[]> backboneMix()
    {
        final List<byte[]> tunnel = new ArrayList<>();
        try (ReplayWorld world = ReplayWorld.builtIn(List.of()))
        {
            final ReplayPop a = world.chain().get(0);
            long nowNs = Replay.START_NS;
            for (final byte[] packet : edgeMix())
            {
                if (packet.length > 0)
                {
                    a.port(PortRole.EDGE).inject(new UnsafeBuffer(packet), 0, packet.length);
                }
                nowNs += SPACING_NS;
                world.advanceTo(nowNs);
                while (a.engine().doWork() > 0)
                {
                    a.port(PortRole.BACKBONE).drain((buffer, offset, length) ->
                    {
                        final byte[] bytes = new byte[length];
                        buffer.getBytes(offset, bytes);
                        tunnel.add(bytes);
                    }, 1024);
                }
            }
        }
        final List<byte[]> out = new ArrayList<>(tunnel);
        if (!tunnel.isEmpty())
        {
            // a flipped bit in the tag (the option's last 8 bytes, before the inner packet)
            final byte[] badTag = tunnel.get(0).clone();
            final int innerAt = 20 + 8 + 8 + 32;
            badTag[innerAt - 1] ^= 0x01;
            out.add(badTag);
            // a sender no POP has as its underlay address
            final byte[] stranger = tunnel.get(0).clone();
            final UnsafeBuffer b = new UnsafeBuffer(stranger);
            b.putInt(12, 0x0AFF00FE, BIG_ENDIAN);
            Ipv4Flyweight.writeHeaderChecksum(b, 0);
            out.add(stranger);
            // not Geneve: a plain UDP datagram to the POP's underlay
            out.add(copy(IpPackets.udp4(frame, 0, 0x0AFF0003, 6082, 0x0AFF0001, 6082, ascii("not geneve"), 0, 10)));
        }
        return out;
    }

    /**
     * Writes a DNS query for {@code example.com}, type A, into {@link #payload}.
     *
     * @param id the query id.
     * @return its length.
     */
    private int dnsQuery(final int id)
    {
        payload.putShort(0, (short)id, BIG_ENDIAN);
        payload.putShort(2, (short)0x0100, BIG_ENDIAN);
        payload.putShort(4, (short)1, BIG_ENDIAN);
        payload.putShort(6, (short)0, BIG_ENDIAN);
        payload.putInt(8, 0, BIG_ENDIAN);
        final byte[] name = {7, 'e', 'x', 'a', 'm', 'p', 'l', 'e', 3, 'c', 'o', 'm', 0};
        payload.putBytes(12, name);
        payload.putShort(12 + name.length, (short)1, BIG_ENDIAN);
        payload.putShort(14 + name.length, (short)1, BIG_ENDIAN);
        return 16 + name.length;
    }

    private byte[] icmpEcho(final int dst)
    {
        final int length = 20 + 8 + 8;
        Ipv4Flyweight.writeHeader(frame, 0, 0, length, 7, 0, 64, IpProtocol.ICMP, CLIENT, dst);
        Ipv4Flyweight.writeHeaderChecksum(frame, 0);
        frame.setMemory(20, 16, (byte)0);
        frame.putByte(20, (byte)8);
        frame.putShort(24, (short)0x4242, BIG_ENDIAN);
        frame.putShort(26, (short)1, BIG_ENDIAN);
        frame.putLong(28, 0x70696E6770696E67L, BIG_ENDIAN);
        frame.putShort(22, (short)Checksums.checksum(frame, 20, 16), BIG_ENDIAN);
        return copy(length);
    }

    private byte[] icmpUnreachableForNoFlow()
    {
        // quotes a datagram from the VIP to a client no flow has
        final int quoted = IpPackets.udp4(payload, 0, ReplayWorld.VIP, 53, CLIENT + 99, 9999, ascii("quoted"), 0, 6);
        final int length = 20 + 8 + 28;
        Ipv4Flyweight.writeHeader(frame, 0, 0, length, 9, 0, 64, IpProtocol.ICMP, OTHER_HOST, ReplayWorld.VIP);
        Ipv4Flyweight.writeHeaderChecksum(frame, 0);
        frame.setMemory(20, 8, (byte)0);
        frame.putByte(20, (byte)3);
        frame.putByte(21, (byte)3);
        frame.putBytes(28, payload, 0, Math.min(quoted, 28));
        frame.putShort(22, (short)Checksums.checksum(frame, 20, 36), BIG_ENDIAN);
        return copy(length);
    }

    private byte[] ipv6Fragment()
    {
        final int udpLength = 8 + 8;
        final int length = 40 + 8 + udpLength;
        frame.setMemory(0, length, (byte)0);
        frame.putInt(0, 0x6000_0000, BIG_ENDIAN);
        frame.putShort(4, (short)(8 + udpLength), BIG_ENDIAN);
        frame.putByte(6, (byte)44);
        frame.putByte(7, (byte)64);
        frame.putLong(8, V6_PREFIX, BIG_ENDIAN);
        frame.putLong(16, 7, BIG_ENDIAN);
        frame.putLong(24, V6_PREFIX, BIG_ENDIAN);
        frame.putLong(32, 0x10, BIG_ENDIAN);
        frame.putByte(40, (byte)IpProtocol.UDP);
        frame.putShort(42, (short)1, BIG_ENDIAN);
        frame.putInt(44, 0x0BADF00D, BIG_ENDIAN);
        frame.putShort(48, (short)5353, BIG_ENDIAN);
        frame.putShort(50, (short)53, BIG_ENDIAN);
        frame.putShort(52, (short)udpLength, BIG_ENDIAN);
        return copy(length);
    }

    private void emitArp(final CaptureWriter writer, final int linkType, final long index)
    {
        final byte[] arp = new byte[28];
        final UnsafeBuffer b = new UnsafeBuffer(arp);
        b.putShort(0, (short)1, BIG_ENDIAN);
        b.putShort(2, (short)0x0800, BIG_ENDIAN);
        b.putByte(4, (byte)6);
        b.putByte(5, (byte)4);
        b.putShort(6, (short)1, BIG_ENDIAN);
        b.putInt(14, CLIENT, BIG_ENDIAN);
        b.putInt(24, ReplayWorld.VIP, BIG_ENDIAN);
        write(writer, linkType, index, arp, arp.length, 0x0806, false);
    }

    private void emit(
        final CaptureWriter writer, final int linkType, final long index, final byte[] ip, final int length,
        final boolean mayTag)
    {
        final int version = length > 0 ? (ip[0] & 0xF0) >>> 4 : 0;
        write(writer, linkType, index, ip, length, 6 == version ? 0x86DD : 0x0800, mayTag);
    }

    private final byte[] linkFrame = new byte[4096 + 64];
    private final UnsafeBuffer linkBuffer = new UnsafeBuffer(linkFrame);

    private void write(
        final CaptureWriter writer, final int linkType, final long index, final byte[] packet, final int length,
        final int etherType, final boolean mayTag)
    {
        final long timestampNs = FIRST_TIMESTAMP_NS + index * SPACING_NS;
        int header = 0;
        switch (linkType)
        {
            case LinkType.ETHERNET ->
            {
                linkBuffer.putInt(0, 0x0200_0000, BIG_ENDIAN);
                linkBuffer.putShort(4, (short)0x0001, BIG_ENDIAN);
                linkBuffer.putInt(6, 0x0200_0000, BIG_ENDIAN);
                linkBuffer.putShort(10, (short)0x0002, BIG_ENDIAN);
                header = 12;
                if (mayTag && index % 5 == 4)
                {
                    linkBuffer.putShort(header, (short)0x8100, BIG_ENDIAN);
                    linkBuffer.putShort(header + 2, (short)(100 + (int)(index % 7)), BIG_ENDIAN);
                    header += 4;
                }
                linkBuffer.putShort(header, (short)etherType, BIG_ENDIAN);
                header += 2;
            }
            case LinkType.LINUX_SLL ->
            {
                linkBuffer.putShort(0, (short)0, BIG_ENDIAN);
                linkBuffer.putShort(2, (short)1, BIG_ENDIAN);
                linkBuffer.putShort(4, (short)6, BIG_ENDIAN);
                linkBuffer.putLong(6, 0x0200_0000_0002_0000L, BIG_ENDIAN);
                linkBuffer.putShort(14, (short)etherType, BIG_ENDIAN);
                header = 16;
            }
            case LinkType.LINUX_SLL2 ->
            {
                linkBuffer.putShort(0, (short)etherType, BIG_ENDIAN);
                linkBuffer.putShort(2, (short)0, BIG_ENDIAN);
                linkBuffer.putInt(4, 2, BIG_ENDIAN);
                linkBuffer.putShort(8, (short)1, BIG_ENDIAN);
                linkBuffer.putByte(10, (byte)0);
                linkBuffer.putByte(11, (byte)6);
                linkBuffer.putLong(12, 0x0200_0000_0002_0000L, BIG_ENDIAN);
                header = 20;
            }
            default ->
            {
                header = 0;
            }
        }
        System.arraycopy(packet, 0, linkFrame, header, length);
        int total = header + length;
        if (LinkType.ETHERNET == linkType && total < 60)
        {
            java.util.Arrays.fill(linkFrame, total, 60, (byte)0);
            total = 60;
        }
        writer.write(timestampNs, linkBuffer, 0, total);
    }

    private byte[] copy(final int length)
    {
        final byte[] bytes = new byte[length];
        frame.getBytes(0, bytes);
        return bytes;
    }

    private UnsafeBuffer ascii(final String text)
    {
        final byte[] bytes = text.getBytes(StandardCharsets.US_ASCII);
        payload.putBytes(0, bytes);
        return payload;
    }
}
