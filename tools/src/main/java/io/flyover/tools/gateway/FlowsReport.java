package io.flyover.tools.gateway;

import io.flyover.dataplane.flow.FlowEntryView;
import io.flyover.dataplane.flow.FlowKey;
import io.flyover.dataplane.flow.FlowKind;
import io.flyover.dataplane.flow.FlowState;
import io.flyover.dataplane.lb.Backend;
import io.flyover.dataplane.table.ForwardingTables;
import io.flyover.dataplane.table.Service;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.PriorityQueue;

/**
 * The {@code /flows} document: the newest, oldest or largest flows of every worker's table, read from
 * the admin thread with {@link io.flyover.dataplane.flow.FlowTable#readConcurrently} (no lock, no
 * request to the workers; an entry changing under the read is retried or skipped). Each flow:
 * worker, kind, protocol, key addresses and ports, TCP/UDP state, route, service, backend,
 * packets, age and idle time ({@code route} null for an entry caught between its insert and its
 * route being set). "Largest" ranks by the entry's packet count, which stops at
 * {@link io.flyover.dataplane.flow.FlowEntryDescriptor#MAX_PACKETS} (flows past it tie and the
 * older comes first); entries hold no byte counts.
 * Admin thread.
 */
final class FlowsReport
{
    /** Most flows one request returns. */
    static final int MAX_LIMIT = 10_000;

    /** Flows returned when the request names no limit. */
    static final int DEFAULT_LIMIT = 100;

    /** How flows are ordered. */
    enum Sort
    {
        /** Youngest first (created last). */
        NEWEST,
        /** Oldest first (created first). */
        OLDEST,
        /** Most packets first (the older first among equals). */
        LARGEST
    }

    /**
     * One flow read from a table.
     *
     * @param worker    worker shard.
     * @param kind      {@link FlowKind}.
     * @param protocol  IP protocol.
     * @param ipv6      whether the key is IPv6.
     * @param srcHi     key source address, high 64 bits.
     * @param srcLo     key source address, low 64 bits.
     * @param srcPort   key source port.
     * @param dstHi     key destination address, high 64 bits.
     * @param dstLo     key destination address, low 64 bits.
     * @param dstPort   key destination port.
     * @param state     {@link FlowState}.
     * @param route     packed route.
     * @param serviceId service id.
     * @param backendId backend id.
     * @param packets   packets seen, saturating at {@link io.flyover.dataplane.flow.FlowEntryDescriptor#MAX_PACKETS}.
     * @param ageMs     ms since created.
     * @param idleMs    ms since last seen.
     */
    record Flow(int worker, int kind, int protocol, boolean ipv6, long srcHi, long srcLo, int srcPort,
        long dstHi, long dstLo, int dstPort, int state, long route, int serviceId, int backendId, int packets, long ageMs,
        long idleMs)
    {
    }

    private FlowsReport()
    {
    }

    /**
     * Parses {@code limit=N&sort=newest|oldest|largest}.
     *
     * @param query the raw query, may be null.
     * @return the limit and sort, or an error message.
     */
    static Object parseQuery(final String query)
    {
        int limit = DEFAULT_LIMIT;
        Sort sort = Sort.NEWEST;
        if (null != query && !query.isEmpty())
        {
            for (final String pair : query.split("&"))
            {
                final int eq = pair.indexOf('=');
                final String key = eq < 0 ? pair : pair.substring(0, eq);
                final String value = eq < 0 ? "" : pair.substring(eq + 1);
                switch (key)
                {
                    case "limit" ->
                    {
                        if (!value.matches("\\d{1,9}") || Integer.parseInt(value) < 1 || Integer.parseInt(value) > MAX_LIMIT)
                        {
                            return "limit must be a whole number 1.." + MAX_LIMIT + ", got '" + value + "'";
                        }
                        limit = Integer.parseInt(value);
                    }
                    case "sort" ->
                    {
                        if ("newest".equals(value))
                        {
                            sort = Sort.NEWEST;
                        }
                        else if ("oldest".equals(value))
                        {
                            sort = Sort.OLDEST;
                        }
                        else if ("largest".equals(value))
                        {
                            sort = Sort.LARGEST;
                        }
                        else
                        {
                            return "sort must be newest, oldest or largest, got '" + value + "'";
                        }
                    }
                    default ->
                    {
                        return "unknown parameter '" + key + "'; allowed: limit, sort";
                    }
                }
            }
        }
        return new Object[] {limit, sort};
    }

    /**
     * Reads the flows.
     *
     * @param gateway the gateway.
     * @param limit   most flows.
     * @param sort    order.
     * @param nowNs   the engine clock now.
     * @return the flows in order, or null if the gateway is closing.
     */
    static List<Flow> read(final Gateway gateway, final int limit, final Sort sort, final long nowNs)
    {
        // keep the best `limit` in a heap whose head is the worst kept
        final Comparator<Flow> worstFirst = order(sort).reversed();
        final PriorityQueue<Flow> kept = new PriorityQueue<>(worstFirst);
        final FlowEntryView view = new FlowEntryView();
        final int nowMs = (int)Math.floorDiv(nowNs, 1_000_000L);
        final long[] scanned = {0};
        final boolean open = gateway.readFlowTables((table, worker) ->
        {
            for (int slot = 0, n = table.capacity(); slot < n; slot++)
            {
                if (!table.readConcurrently(slot, view))
                {
                    continue;
                }
                scanned[0]++;
                final FlowKey key = view.key;
                final Flow flow = new Flow(worker, key.kind(), key.protocol(), key.isIpv6(), key.srcAddressHi(),
                    key.srcAddressLo(), key.srcPort(), key.dstAddressHi(), key.dstAddressLo(), key.dstPort(), view.state,
                    view.route, view.serviceId, view.backendId, view.packets, Integer.toUnsignedLong(nowMs - view.createdMs),
                    Integer.toUnsignedLong(nowMs - view.lastSeenMs));
                if (kept.size() < limit)
                {
                    kept.add(flow);
                }
                else if (worstFirst.compare(flow, kept.peek()) > 0)
                {
                    kept.poll();
                    kept.add(flow);
                }
            }
        });
        if (!open)
        {
            return null;
        }
        final List<Flow> flows = new ArrayList<>(kept);
        flows.sort(order(sort));
        return flows;
    }

    /**
     * @param sort an order.
     * @return the comparator that puts the flows to show first first.
     */
    static Comparator<Flow> order(final Sort sort)
    {
        final Comparator<Flow> oldestFirst = Comparator.comparingLong(Flow::ageMs).reversed();
        return switch (sort)
        {
            case NEWEST -> oldestFirst.reversed();
            case OLDEST -> oldestFirst;
            case LARGEST -> Comparator.comparingInt(Flow::packets).reversed().thenComparing(oldestFirst);
        };
    }

    /**
     * @param flows  flows in order.
     * @param tables the serving tables (backend addresses).
     * @param sort   the order used.
     * @return the JSON document.
     */
    static String json(final List<Flow> flows, final ForwardingTables tables, final Sort sort)
    {
        final StringBuilder sb = new StringBuilder(256 + flows.size() * 256);
        sb.append("{\"sort\":").append(Json.quote(sort.name().toLowerCase(java.util.Locale.ROOT)))
            .append(",\"count\":").append(flows.size()).append(",\"flows\":[");
        for (int i = 0; i < flows.size(); i++)
        {
            final Flow f = flows.get(i);
            sb.append(i > 0 ? "," : "").append("{\"worker\":").append(f.worker())
                .append(",\"kind\":").append(Json.quote(FlowKind.name(f.kind())))
                .append(",\"protocol\":").append(f.protocol())
                .append(",\"src\":").append(Json.quote(address(f.ipv6(), f.srcHi(), f.srcLo()) + ":" + f.srcPort()))
                .append(",\"dst\":").append(Json.quote(address(f.ipv6(), f.dstHi(), f.dstLo()) + ":" + f.dstPort()))
                .append(",\"state\":").append(Json.quote(FlowState.name(f.state())))
                .append(",\"route\":").append(io.flyover.optimizer.path.Route.isValid(f.route()) ?
                    Json.quote(io.flyover.optimizer.path.Route.toString(f.route())) : "null")
                .append(",\"service\":").append(f.serviceId());
            final Service service = tables.service(f.serviceId());
            final Backend backend = null == service || FlowKind.INGRESS == f.kind() ? null : service.backend(f.backendId());
            if (null != backend)
            {
                sb.append(",\"backend\":").append(Json.quote(backend.address().getHostAddress() + ":" + backend.port()));
            }
            else
            {
                sb.append(",\"backend\":null");
            }
            sb.append(",\"packets\":").append(f.packets()).append(",\"age_ms\":").append(f.ageMs()).append(",\"idle_ms\":").append(f.idleMs()).append('}');
        }
        sb.append("]}\n");
        return sb.toString();
    }

    static String address(final boolean ipv6, final long hi, final long lo)
    {
        final byte[] bytes;
        if (ipv6)
        {
            bytes = new byte[16];
            for (int i = 0; i < 8; i++)
            {
                bytes[i] = (byte)(hi >>> (56 - 8 * i));
                bytes[8 + i] = (byte)(lo >>> (56 - 8 * i));
            }
        }
        else
        {
            bytes = new byte[] {(byte)(lo >>> 24), (byte)(lo >>> 16), (byte)(lo >>> 8), (byte)lo};
        }
        try
        {
            final String text = InetAddress.getByAddress(bytes).getHostAddress();
            return ipv6 ? "[" + text + "]" : text;
        }
        catch (final UnknownHostException ex)
        {
            return "?";
        }
    }
}
