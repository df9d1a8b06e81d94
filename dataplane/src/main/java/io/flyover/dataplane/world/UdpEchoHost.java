package io.flyover.dataplane.world;

import java.nio.ByteOrder;
import java.util.HashSet;
import java.util.Set;

import org.agrona.DirectBuffer;
import org.agrona.concurrent.UnsafeBuffer;

import io.flyover.dataplane.protocol.Checksums;
import io.flyover.dataplane.protocol.IpProtocol;
import io.flyover.dataplane.protocol.PacketParser;
import io.flyover.dataplane.protocol.ParseVerdict;
import io.flyover.dataplane.protocol.ParsedPacket;

/**
 * A backend that answers every UDP datagram with the same payload, and remembers which client
 * addresses it saw (to check that the client's address was kept). Datagrams with a bad checksum
 * are counted, not answered.
 */
public final class UdpEchoHost implements Host
{
    private final int address;
    private final ParsedPacket packet = new ParsedPacket();
    private final UnsafeBuffer out = new UnsafeBuffer(new byte[2048]);
    private final Set<Integer> clientsSeen = new HashSet<>();
    private long received;
    private long badChecksums;

    /**
     * @param address the backend's IPv4 address.
     */
    public UdpEchoHost(final int address)
    {
        this.address = address;
    }

    @Override
    public int address()
    {
        return address;
    }

    @Override
    public void onPacket(final DirectBuffer buffer, final int offset, final int length, final Wire wire)
    {
        if (ParseVerdict.OK != PacketParser.parseIp(buffer, offset, length, packet) || IpProtocol.UDP != packet.protocol)
        {
            return;
        }
        received++;
        if (!Checksums.isValid(buffer, packet.l4Offset, packet.l4Length,
            Checksums.ipv4PseudoHeaderSum(buffer, packet.l3Offset, IpProtocol.UDP, packet.l4Length)))
        {
            badChecksums++;
            return;
        }
        final int client = buffer.getInt(packet.srcAddressOffset, ByteOrder.BIG_ENDIAN);
        clientsSeen.add(client);
        final int payload = packet.l3Offset + packet.l3Length - packet.payloadOffset;
        final int answer = IpPackets.udp4(out, 0, address, packet.dstPort, client, packet.srcPort,
            buffer, packet.payloadOffset, payload);
        wire.send(out, 0, answer);
    }

    /**
     * @return datagrams received.
     */
    public long received()
    {
        return received;
    }

    /**
     * @return datagrams whose checksum did not verify.
     */
    public long badChecksums()
    {
        return badChecksums;
    }

    /**
     * @return the source addresses the backend saw.
     */
    public Set<Integer> clientsSeen()
    {
        return Set.copyOf(clientsSeen);
    }
}
