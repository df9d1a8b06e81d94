package io.flyover.tools.gateway;

import io.flyover.dataplane.counters.CounterType;
import io.flyover.dataplane.counters.CountersFileDescriptor;
import io.flyover.dataplane.counters.DropReason;
import io.flyover.dataplane.counters.FlowTableCounter;
import io.flyover.dataplane.engine.PopEngine;
import io.flyover.dataplane.engine.PortRole;
import io.flyover.dataplane.table.ForwardingTables;
import io.flyover.dataplane.table.PathTable;
import io.flyover.dataplane.table.Route;
import io.flyover.dataplane.table.WeightedRoute;
import org.agrona.concurrent.status.CountersReader;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Renders the gateway's counters and tables in the Prometheus text exposition format (version
 * 0.0.4): {@code # HELP}, {@code # TYPE}, then {@code name{label="value"} number} lines, one
 * family at a time. Reads the counters file (ordered loads) and the current immutable snapshot
 * only, so it is safe on the admin thread.
 */
final class Metrics
{
    /** The content type of the format. */
    static final String CONTENT_TYPE = "text/plain; version=0.0.4; charset=utf-8";

    private Metrics()
    {
    }

    private record Sample(String labels, long value)
    {
    }

    private static final class Family
    {
        final String name;
        final String type;
        final String help;
        final List<Sample> samples = new ArrayList<>();

        Family(final String name, final String type, final String help)
        {
            this.name = name;
            this.type = type;
            this.help = help;
        }
    }

    /**
     * @param gateway the running gateway.
     * @return the exposition text.
     */
    static String render(final Gateway gateway)
    {
        final Map<String, Family> families = new TreeMap<>();
        final Family portPackets = family(families, "flyover_port_packets_total", "counter",
            "Packets through each port, by direction (rx from the device, tx to it).");
        final Family portBytes = family(families, "flyover_port_bytes_total", "counter",
            "Bytes through each port, by direction.");
        final Family portTxDropped = family(families, "flyover_port_tx_refused_total", "counter",
            "Frames a port's device refused (back-pressure, too large, send error).");
        final Family drops = family(families, "flyover_drops_total", "counter",
            "Packets dropped, by reason and by where: a worker shard, or a port's RX/TX agent.");
        final Family flowsActive = family(families, "flyover_flows_active", "gauge",
            "Live flow table entries per worker shard (the egress POP holds two per flow).");
        final Family flowsCreated = family(families, "flyover_flows_created_total", "counter",
            "Flow table inserts per worker shard.");
        final Family flowsExpired = family(families, "flyover_flows_expired_total", "counter",
            "Flows ended by their idle timeout, per worker shard.");
        final Family flowsEvicted = family(families, "flyover_flows_evicted_total", "counter",
            "Live flows evicted to make room, per worker shard.");
        final Family flowsFull = family(families, "flyover_flow_table_full_total", "counter",
            "Inserts that found no room, per worker shard.");
        final Family flowHits = family(families, "flyover_flow_lookups_total", "counter",
            "Flow table lookups per worker shard, by result (hit, miss).");

        final CountersReader reader = gateway.counters();
        reader.forEach((counterId, typeId, key, label) ->
        {
            final int owner = key.getInt(CountersFileDescriptor.KEY_OWNER_ID_OFFSET);
            final int id = key.getInt(CountersFileDescriptor.KEY_ID_OFFSET);
            final long value = reader.getCounterValue(counterId);
            if (PortCounters.TYPE_ID == typeId)
            {
                final String port = PortRole.forId(owner).label();
                switch (id)
                {
                    case PortCounters.RX_PACKETS -> portPackets.samples.add(new Sample(l("port", port, "direction", "rx"), value));
                    case PortCounters.TX_PACKETS -> portPackets.samples.add(new Sample(l("port", port, "direction", "tx"), value));
                    case PortCounters.RX_BYTES -> portBytes.samples.add(new Sample(l("port", port, "direction", "rx"), value));
                    case PortCounters.TX_BYTES -> portBytes.samples.add(new Sample(l("port", port, "direction", "tx"), value));
                    default -> portTxDropped.samples.add(new Sample(l("port", port), value));
                }
            }
            else if (CounterType.DROP_REASON.typeId() == typeId)
            {
                final String reason = DropReason.labelOf(id);
                final String where;
                if (owner >= PopEngine.TX_OWNER_BASE)
                {
                    where = l("reason", reason, "stage", "tx", "port", PortRole.forId(owner - PopEngine.TX_OWNER_BASE).label());
                }
                else if (owner >= PopEngine.RX_OWNER_BASE)
                {
                    where = l("reason", reason, "stage", "rx", "port", PortRole.forId(owner - PopEngine.RX_OWNER_BASE).label());
                }
                else
                {
                    where = l("reason", reason, "stage", "worker", "worker", Integer.toString(owner));
                }
                drops.samples.add(new Sample(where, value));
            }
            else if (CounterType.FLOW_TABLE.typeId() == typeId)
            {
                final String worker = l("worker", Integer.toString(owner));
                if (FlowTableCounter.ACTIVE.id() == id)
                {
                    flowsActive.samples.add(new Sample(worker, value));
                }
                else if (FlowTableCounter.INSERTS.id() == id)
                {
                    flowsCreated.samples.add(new Sample(worker, value));
                }
                else if (FlowTableCounter.EXPIRIES.id() == id)
                {
                    flowsExpired.samples.add(new Sample(worker, value));
                }
                else if (FlowTableCounter.EVICTIONS.id() == id)
                {
                    flowsEvicted.samples.add(new Sample(worker, value));
                }
                else if (FlowTableCounter.FULL.id() == id)
                {
                    flowsFull.samples.add(new Sample(worker, value));
                }
                else if (FlowTableCounter.HITS.id() == id)
                {
                    flowHits.samples.add(new Sample(l("worker", Integer.toString(owner), "result", "hit"), value));
                }
                else if (FlowTableCounter.MISSES.id() == id)
                {
                    flowHits.samples.add(new Sample(l("worker", Integer.toString(owner), "result", "miss"), value));
                }
            }
        });

        final ForwardingTables tables = gateway.tables();
        final Family routeWeight = family(families, "flyover_route_weight", "gauge",
            "Configured weight of each route from this POP (routes with no weight are standbys, not listed).");
        final Family routeBuckets = family(families, "flyover_route_buckets", "gauge",
            "Path table buckets (of " + PathTable.BUCKET_COUNT + ") each route holds: its share of new flows.");
        for (final PathTable table : new TreeMap<>(tables.pathTables()).values())
        {
            final List<WeightedRoute> routes = table.routes();
            for (int i = 0; i < routes.size(); i++)
            {
                final String labels = l("to", Integer.toString(table.egressPopId()), "route", path(routes.get(i).route()));
                routeWeight.samples.add(new Sample(labels, routes.get(i).weight()));
                routeBuckets.samples.add(new Sample(labels, table.bucketsOf(i)));
            }
        }
        family(families, "flyover_tables_version", "gauge", "Version of the forwarding tables the workers read.")
            .samples.add(new Sample("", tables.version()));
        family(families, "flyover_services", "gauge", "Services (VIP listeners) configured.")
            .samples.add(new Sample("", tables.services().size()));
        final Family reloads = family(families, "flyover_reloads_total", "counter", "Configuration reloads by result.");
        reloads.samples.add(new Sample(l("result", "applied"), gateway.reloadsAccepted()));
        reloads.samples.add(new Sample(l("result", "rejected"), gateway.reloadsRejected()));
        family(families, "flyover_uptime_seconds", "gauge", "Seconds since the gateway started.")
            .samples.add(new Sample("", (long)gateway.uptimeSeconds()));

        final StringBuilder sb = new StringBuilder(16 * 1024);
        for (final Family family : families.values())
        {
            sb.append("# HELP ").append(family.name).append(' ').append(family.help).append('\n');
            sb.append("# TYPE ").append(family.name).append(' ').append(family.type).append('\n');
            for (final Sample sample : family.samples)
            {
                sb.append(family.name);
                if (!sample.labels.isEmpty())
                {
                    sb.append('{').append(sample.labels).append('}');
                }
                sb.append(' ').append(sample.value).append('\n');
            }
        }
        return sb.toString();
    }

    static String path(final Route route)
    {
        final StringBuilder sb = new StringBuilder();
        for (int i = 0; i < route.length(); i++)
        {
            sb.append(i > 0 ? ">" : "").append(route.pop(i));
        }
        return sb.toString();
    }

    private static Family family(final Map<String, Family> families, final String name, final String type, final String help)
    {
        return families.computeIfAbsent(name, n -> new Family(n, type, help));
    }

    private static String l(final String... pairs)
    {
        final StringBuilder sb = new StringBuilder();
        for (int i = 0; i < pairs.length; i += 2)
        {
            sb.append(i > 0 ? "," : "").append(pairs[i]).append("=\"").append(escape(pairs[i + 1])).append('"');
        }
        return sb.toString();
    }

    private static String escape(final String value)
    {
        return value.replace("\\", "\\\\").replace("\"", "\\\"").replace("\n", "\\n");
    }
}
