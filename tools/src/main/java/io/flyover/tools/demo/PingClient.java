package io.flyover.tools.demo;

import java.nio.ByteOrder;

import org.agrona.DirectBuffer;
import org.agrona.concurrent.UnsafeBuffer;

import io.flyover.dataplane.protocol.IpProtocol;
import io.flyover.dataplane.protocol.PacketParser;
import io.flyover.dataplane.protocol.ParseVerdict;
import io.flyover.dataplane.protocol.ParsedPacket;
import io.flyover.dataplane.world.Host;
import io.flyover.dataplane.world.IpPackets;

/**
 * The clients of one city, behind its POP's edge: each demo flow is a UDP conversation from its
 * own source port to the VIP, one datagram per interval carrying (flow, sequence, send time); the
 * backend echoes it and the answer's arrival gives the RTT. Answers that do not parse, or are not
 * ours, are counted. Single-threaded, like the world.
 */
final class PingClient implements Host
{
    /** Payload: flow id (4), sequence (4), send time ns (8). */
    static final int PAYLOAD = 16;

    /** Receives answered pings. */
    @FunctionalInterface
    interface Answers
    {
        void onAnswer(int flowId, int seq, long sendNs, long nowNs);
    }

    private final int address;
    private final int vip;
    private final int vipPort;
    private final Answers answers;
    private final ParsedPacket packet = new ParsedPacket();
    private final UnsafeBuffer out = new UnsafeBuffer(new byte[256]);
    private final UnsafeBuffer payload = new UnsafeBuffer(new byte[PAYLOAD]);
    private Wire wire;
    private long nowNs;
    private long malformed;

    PingClient(final int address, final int vip, final int vipPort, final Answers answers)
    {
        this.address = address;
        this.vip = vip;
        this.vipPort = vipPort;
        this.answers = answers;
    }

    void wire(final Wire wire)
    {
        this.wire = wire;
    }

    void nowNs(final long nowNs)
    {
        this.nowNs = nowNs;
    }

    /**
     * Sends one ping of a flow.
     *
     * @return false if the edge's ring was full.
     */
    boolean send(final int flowId, final int port, final int seq, final long sendNs)
    {
        payload.putInt(0, flowId, ByteOrder.BIG_ENDIAN);
        payload.putInt(4, seq, ByteOrder.BIG_ENDIAN);
        payload.putLong(8, sendNs, ByteOrder.BIG_ENDIAN);
        final int length = IpPackets.udp4(out, 0, address, port, vip, vipPort, payload, 0, PAYLOAD);
        return wire.send(out, 0, length);
    }

    @Override
    public int address()
    {
        return address;
    }

    @Override
    public void onPacket(final DirectBuffer buffer, final int offset, final int length, final Wire ignored)
    {
        if (ParseVerdict.OK != PacketParser.parseIp(buffer, offset, length, packet) || IpProtocol.UDP != packet.protocol ||
            packet.l3Offset + packet.l3Length - packet.payloadOffset != PAYLOAD)
        {
            malformed++;
            return;
        }
        final int at = packet.payloadOffset;
        answers.onAnswer(buffer.getInt(at, ByteOrder.BIG_ENDIAN), buffer.getInt(at + 4, ByteOrder.BIG_ENDIAN),
            buffer.getLong(at + 8, ByteOrder.BIG_ENDIAN), nowNs);
    }

    /**
     * @return packets that were not an answer of ours.
     */
    long malformed()
    {
        return malformed;
    }
}
