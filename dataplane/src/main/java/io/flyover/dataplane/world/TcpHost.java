package io.flyover.dataplane.world;

import java.io.ByteArrayOutputStream;
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
import io.flyover.dataplane.protocol.TcpFlyweight;

/**
 * Just enough TCP to check a transfer end to end on the in-memory world, which delivers in order
 * and (with loss 0) loses nothing: a three-way handshake, one request, a response of a given
 * size in MSS-sized segments, and FIN in both directions. No retransmission, no window; every
 * segment's checksum is verified and a bad one is counted. One instance plays either the client
 * (one connection) or the server (any number of connections).
 */
public final class TcpHost implements Host
{
    private static final int MSS = 1200;

    private final int address;
    private final boolean server;
    private final byte[] response;
    private final ParsedPacket packet = new ParsedPacket();
    private final UnsafeBuffer out = new UnsafeBuffer(new byte[2048]);
    private final UnsafeBuffer data;
    private final Set<Integer> peersSeen = new HashSet<>();
    private final ByteArrayOutputStream received = new ByteArrayOutputStream();
    private long badChecksums;
    private int sequence;
    private boolean established;
    private boolean finished;

    private TcpHost(final int address, final boolean server, final byte[] response)
    {
        this.address = address;
        this.server = server;
        this.response = response;
        this.data = new UnsafeBuffer(response);
    }

    /**
     * @param address  the server's address.
     * @param response what it sends back to every request.
     * @return a server.
     */
    public static TcpHost server(final int address, final byte[] response)
    {
        return new TcpHost(address, true, response);
    }

    /**
     * @param address the client's address.
     * @param request what it sends once connected.
     * @return a client; call {@link #connect} to start.
     */
    public static TcpHost client(final int address, final byte[] request)
    {
        return new TcpHost(address, false, request);
    }

    @Override
    public int address()
    {
        return address;
    }

    /**
     * Client: sends the SYN.
     *
     * @param localPort  the client's port.
     * @param remote     the server's (the VIP's) address.
     * @param remotePort its port.
     * @param wire       the client's edge.
     */
    public void connect(final int localPort, final int remote, final int remotePort, final Wire wire)
    {
        sequence = 1000;
        final int length = IpPackets.tcp4(out, 0, address, localPort, remote, remotePort, sequence, 0,
            TcpFlyweight.FLAG_SYN, 1460, data, 0, 0);
        sequence++;
        wire.send(out, 0, length);
    }

    @Override
    public void onPacket(final DirectBuffer buffer, final int offset, final int length, final Wire wire)
    {
        if (ParseVerdict.OK != PacketParser.parseIp(buffer, offset, length, packet) || IpProtocol.TCP != packet.protocol)
        {
            return;
        }
        if (!Checksums.isValid(buffer, packet.l4Offset, packet.l4Length,
            Checksums.ipv4PseudoHeaderSum(buffer, packet.l3Offset, IpProtocol.TCP, packet.l4Length)))
        {
            badChecksums++;
            return;
        }
        final int peer = buffer.getInt(packet.srcAddressOffset, ByteOrder.BIG_ENDIAN);
        peersSeen.add(peer);
        final int flags = packet.tcpFlags;
        final int payload = packet.l3Offset + packet.l3Length - packet.payloadOffset;
        final int ack = packet.tcpSequence + payload + ((flags & (TcpFlyweight.FLAG_SYN | TcpFlyweight.FLAG_FIN)) != 0 ? 1 : 0);
        final int local = packet.dstPort;
        final int remote = packet.srcPort;

        if (server)
        {
            if ((flags & TcpFlyweight.FLAG_SYN) != 0)
            {
                send(wire, peer, local, remote, 5000, ack, TcpFlyweight.FLAG_SYN | TcpFlyweight.FLAG_ACK, 0, 0);
            }
            else if (payload > 0)
            {
                // the request: answer with the whole response, then FIN
                int seq = 5001;
                for (int sent = 0; sent < response.length; sent += MSS)
                {
                    final int chunk = Math.min(MSS, response.length - sent);
                    send(wire, peer, local, remote, seq, ack, TcpFlyweight.FLAG_ACK | TcpFlyweight.FLAG_PSH, sent, chunk);
                    seq += chunk;
                }
                send(wire, peer, local, remote, seq, ack, TcpFlyweight.FLAG_FIN | TcpFlyweight.FLAG_ACK, 0, 0);
            }
            else if ((flags & TcpFlyweight.FLAG_FIN) != 0)
            {
                send(wire, peer, local, remote, 5001 + response.length + 1, ack, TcpFlyweight.FLAG_ACK, 0, 0);
                finished = true;
            }
            return;
        }

        if ((flags & TcpFlyweight.FLAG_SYN) != 0 && (flags & TcpFlyweight.FLAG_ACK) != 0)
        {
            established = true;
            send(wire, peer, local, remote, sequence, ack, TcpFlyweight.FLAG_ACK, 0, 0);
            send(wire, peer, local, remote, sequence, ack, TcpFlyweight.FLAG_ACK | TcpFlyweight.FLAG_PSH, 0,
                response.length);
            sequence += response.length;
            return;
        }
        if (payload > 0)
        {
            final byte[] bytes = new byte[payload];
            buffer.getBytes(packet.payloadOffset, bytes);
            received.writeBytes(bytes);
        }
        if ((flags & TcpFlyweight.FLAG_FIN) != 0)
        {
            send(wire, peer, local, remote, sequence, ack, TcpFlyweight.FLAG_FIN | TcpFlyweight.FLAG_ACK, 0, 0);
            finished = true;
        }
    }

    private void send(
        final Wire wire,
        final int peer,
        final int localPort,
        final int remotePort,
        final int seq,
        final int ack,
        final int flags,
        final int dataOffset,
        final int dataLength)
    {
        final int length = IpPackets.tcp4(out, 0, address, localPort, peer, remotePort, seq, ack, flags,
            (flags & TcpFlyweight.FLAG_SYN) != 0 ? 1460 : 0, data, dataOffset, dataLength);
        wire.send(out, 0, length);
    }

    /**
     * @return client: the response bytes received so far.
     */
    public byte[] received()
    {
        return received.toByteArray();
    }

    /**
     * @return client: the handshake completed.
     */
    public boolean established()
    {
        return established;
    }

    /**
     * @return the connection closed (FIN seen and answered).
     */
    public boolean finished()
    {
        return finished;
    }

    /**
     * @return the addresses segments came from.
     */
    public Set<Integer> peersSeen()
    {
        return Set.copyOf(peersSeen);
    }

    /**
     * @return segments whose checksum did not verify.
     */
    public long badChecksums()
    {
        return badChecksums;
    }
}
