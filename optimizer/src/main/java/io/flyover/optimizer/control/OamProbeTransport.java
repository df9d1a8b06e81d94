package io.flyover.optimizer.control;

import io.flyover.dataplane.protocol.FlyoverRoute;
import io.flyover.dataplane.protocol.TunnelPacketBuilder;
import io.flyover.dataplane.protocol.UdpFlyweight;
import io.flyover.dataplane.table.ForwardingTables;
import io.flyover.dataplane.table.Pop;
import io.flyover.dataplane.world.IpPackets;
import io.flyover.optimizer.path.Route;
import io.flyover.optimizer.probe.ProbeMessage;
import io.flyover.optimizer.probe.ProbeTransport;
import org.agrona.DirectBuffer;
import org.agrona.concurrent.UnsafeBuffer;

import java.util.function.Supplier;

/**
 * The real probe transport: a probe message travels as the inner IPv4/UDP payload (port
 * {@link #PROBE_UDP_PORT} both ways, inner addresses the two end POPs' underlay addresses) of a
 * Geneve OAM packet (O bit, VNI 0) through the same tunnels as data, tagged with the next hop's
 * send key, so relays verify, advance and re-tag it like data.
 * <ul>
 *   <li>A request for route {@code [A, .., Z]} goes out with that route, D = 0, hop index 1, to
 *   the underlay address of hop 1; the engine at Z consumes it (its last hop) and posts it to
 *   the event ring.</li>
 *   <li>A reply is handed here with the reversed route {@code [Z, .., A]} (as the prober does);
 *   it goes out with the original route, D = 1, hop index {@code last − 1}, to that hop; the
 *   engine at A consumes it at hop 0.</li>
 * </ul>
 * The outer UDP source port comes from a hash of the route, so each path keeps one ECMP/RSS lane.
 * Keys and addresses are read from the tables serving now, so a reload's new keys or peers apply to
 * the next probe. Control-plane thread only; allocation-free.
 */
public final class OamProbeTransport implements ProbeTransport
{
    /** Inner UDP port of probes and keepalives (the BFD echo port, RFC 5881), source and destination. */
    public static final int PROBE_UDP_PORT = 3785;

    /** Bytes of the inner IPv4 and UDP headers in front of the message. */
    public static final int INNER_HEADERS = 20 + UdpFlyweight.HEADER_LENGTH;

    private final Supplier<ForwardingTables> tables;
    private final FrameSink sink;
    private final int hopLimit;
    private final UnsafeBuffer inner = new UnsafeBuffer(new byte[INNER_HEADERS + ProbeMessage.MAX_LENGTH]);
    private final UnsafeBuffer frame = new UnsafeBuffer(new byte[INNER_HEADERS + ProbeMessage.MAX_LENGTH + 128]);
    private final TunnelPacketBuilder builder = new TunnelPacketBuilder();
    private long nowNs;
    private long framesSent;
    private long unknownPop;
    private long unsupportedUnderlay;
    private long backPressure;

    /**
     * @param tables   the tables serving now (addresses and keys).
     * @param sink     sends a frame out of the backbone port.
     * @param hopLimit hop limit written into probes.
     */
    public OamProbeTransport(final Supplier<ForwardingTables> tables, final FrameSink sink, final int hopLimit)
    {
        this.tables = tables;
        this.sink = sink;
        this.hopLimit = hopLimit;
    }

    /**
     * @param nowNs the time written as the tunnel's send time of the next frames.
     */
    public void nowNs(final long nowNs)
    {
        this.nowNs = nowNs;
    }

    @Override
    public boolean send(final long route, final DirectBuffer buffer, final int offset, final int length)
    {
        final boolean reply = ProbeMessage.TYPE_REPLY == ProbeMessage.type(buffer, offset);
        final long wireRoute = reply ? Route.reverse(route) : route;
        final int hopIndex = reply ? FlyoverRoute.lastSlot(wireRoute) - 1 : 1;
        final ForwardingTables t = tables.get();
        final Pop local = t.localPop();
        final Pop next = t.pop(FlyoverRoute.pop(wireRoute, hopIndex));
        final Pop far = t.pop(Route.egress(route));
        if (null == next || null == far || next == local)
        {
            unknownPop++;
            return false;
        }
        if (local.underlayIpv6() || next.underlayIpv6() || far.underlayIpv6())
        {
            unsupportedUnderlay++;
            return false;
        }
        final int innerLength = IpPackets.udp4(inner, 0, local.underlayIpv4(), PROBE_UDP_PORT, far.underlayIpv4(),
            PROBE_UDP_PORT, buffer, offset, length);
        final int frameLength = builder
            .outerAddresses(local.underlayIpv4(), next.underlayIpv4())
            .flowHash(routeHash(wireRoute))
            .oam(true)
            .vni(0)
            .returnPath(reply)
            .hopIndex(hopIndex)
            .hopLimit(hopLimit)
            .keyId(next.keys().sendKey().keyId())
            .keys(next.keys().tunnelKeys())
            .route(wireRoute)
            .sendTimeUs(nowNs / 1000)
            .build(frame, 0, inner, 0, innerLength);
        if (!sink.offer(frame, 0, frameLength))
        {
            backPressure++;
            return false;
        }
        framesSent++;
        return true;
    }

    /**
     * @return frames handed to the sink.
     */
    public long framesSent()
    {
        return framesSent;
    }

    /**
     * @return probes not sent because a POP of the route is not in the tables.
     */
    public long unknownPop()
    {
        return unknownPop;
    }

    /**
     * @return probes not sent because an underlay address is IPv6 (not carried yet).
     */
    public long unsupportedUnderlay()
    {
        return unsupportedUnderlay;
    }

    /**
     * @return probes not sent because the control ring was full.
     */
    public long backPressure()
    {
        return backPressure;
    }

    private static int routeHash(final long route)
    {
        final long h = route * 0x9E3779B97F4A7C15L;
        return (int)(h ^ (h >>> 32));
    }
}
