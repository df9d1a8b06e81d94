package io.flyover.dataplane.engine;

import org.agrona.DirectBuffer;

import io.flyover.dataplane.protocol.FlyoverOptionFlyweight;
import io.flyover.dataplane.protocol.GeneveParser;
import io.flyover.dataplane.protocol.IpProtocol;
import io.flyover.dataplane.protocol.PacketParser;
import io.flyover.dataplane.protocol.ParseVerdict;
import io.flyover.dataplane.protocol.ParsedPacket;
import io.flyover.dataplane.protocol.ParsedTunnel;
import io.flyover.dataplane.protocol.UdpFlyweight;

import static java.nio.ByteOrder.BIG_ENDIAN;

/**
 * Picks the worker shard of a frame from its client's address, port and protocol, which NAT
 * never changes: the source of a client → VIP packet, the destination of a backend → client
 * packet, and in a tunnel packet the inner source (toward the egress) or destination (on the way
 * back). A frame that cannot be parsed goes to shard 0, whose pipeline drops it with its reason.
 * One instance per port agent thread.
 */
public final class ShardSelector
{
    private final ParsedPacket packet = new ParsedPacket();
    private final ParsedPacket inner = new ParsedPacket();
    private final ParsedTunnel tunnel = new ParsedTunnel();
    private final long key;

    /**
     * @param key the engine's shard key.
     */
    public ShardSelector(final long key)
    {
        this.key = key;
    }

    /**
     * @param role       the port the frame came in on.
     * @param buffer     holds the frame (raw IP).
     * @param offset     where it starts.
     * @param length     its length.
     * @param shardCount number of shards.
     * @return the shard.
     */
    public int shardOf(
        final PortRole role, final DirectBuffer buffer, final int offset, final int length, final int shardCount)
    {
        if (ParseVerdict.OK != PacketParser.parseIp(buffer, offset, length, packet, false))
        {
            return 0;
        }
        return switch (role)
        {
            case EDGE -> shardOfClient(buffer, packet, true, shardCount);
            case ORIGIN -> shardOfClient(buffer, packet, false, shardCount);
            case BACKBONE -> shardOfTunnel(buffer, shardCount);
        };
    }

    private int shardOfTunnel(final DirectBuffer buffer, final int shardCount)
    {
        if (IpProtocol.UDP != packet.protocol)
        {
            return 0;
        }
        final int geneve = packet.l4Offset + UdpFlyweight.HEADER_LENGTH;
        if (ParseVerdict.OK != GeneveParser.parse(buffer, geneve, packet.l3Offset + packet.l3Length - geneve, tunnel) ||
            ParseVerdict.OK != PacketParser.parseIp(buffer, tunnel.innerOffset(), tunnel.innerLength(), inner, false))
        {
            return 0;
        }
        final boolean returnPath = FlyoverOptionFlyweight.returnPath(buffer, tunnel.flyoverOptionOffset());
        return shardOfClient(buffer, inner, !returnPath, shardCount);
    }

    private int shardOfClient(
        final DirectBuffer buffer, final ParsedPacket p, final boolean clientIsSource, final int shardCount)
    {
        final int addressOffset = clientIsSource ? p.srcAddressOffset : p.dstAddressOffset;
        final boolean ipv6 = 6 == p.ipVersion;
        final long high = ipv6 ? buffer.getLong(addressOffset, BIG_ENDIAN) : 0;
        final long low = ipv6 ? buffer.getLong(addressOffset + 8, BIG_ENDIAN) :
            buffer.getInt(addressOffset, BIG_ENDIAN) & 0xFFFF_FFFFL;
        final boolean ports = IpProtocol.TCP == p.protocol || IpProtocol.UDP == p.protocol;
        final int port = ports ? (clientIsSource ? p.srcPort : p.dstPort) : p.icmpIdentifier;
        return FlowHash.shard(key, high, low, port, p.protocol, shardCount);
    }
}
