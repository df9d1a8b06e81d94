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
import io.flyover.nativeio.EthernetPort;
import io.prometheus.metrics.config.EscapingScheme;
import io.prometheus.metrics.expositionformats.PrometheusTextFormatWriter;
import io.prometheus.metrics.model.snapshots.CounterSnapshot;
import io.prometheus.metrics.model.snapshots.GaugeSnapshot;
import io.prometheus.metrics.model.snapshots.Labels;
import io.prometheus.metrics.model.snapshots.MetricSnapshots;
import org.agrona.concurrent.status.CountersReader;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Renders the gateway's counters and tables in the Prometheus text exposition format (version
 * 0.0.4) through the Prometheus Java client's model and text writer
 * ({@code prometheus-metrics-exposition-textformats}): each scrape builds metric snapshots from the
 * counters file (ordered loads) and the current immutable tables snapshot, so it is safe on the
 * admin thread. Counter families are named without {@code _total}; the writer appends it.
 */
final class Metrics
{
    /** The content type of the format. */
    static final String CONTENT_TYPE = PrometheusTextFormatWriter.CONTENT_TYPE;

    private static final PrometheusTextFormatWriter WRITER = PrometheusTextFormatWriter.create();

    private Metrics()
    {
    }

    private record Sample(Labels labels, double value)
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
        final Family portPackets = family(families, "flyover_port_packets", "counter",
            "Packets through each port, by direction (rx from the device, tx to it).");
        final Family portBytes = family(families, "flyover_port_bytes", "counter",
            "Bytes through each port, by direction.");
        final Family portTxDropped = family(families, "flyover_port_tx_refused", "counter",
            "Frames a port's device refused (back-pressure, too large, send error).");
        final Family drops = family(families, "flyover_drops", "counter",
            "Packets dropped, by reason and by where: a worker shard, or a port's RX/TX agent.");
        final Family flowsActive = family(families, "flyover_flows_active", "gauge",
            "Live flow table entries per worker shard (the egress POP holds two per flow).");
        final Family flowsCreated = family(families, "flyover_flows_created", "counter",
            "Flow table inserts per worker shard.");
        final Family flowsExpired = family(families, "flyover_flows_expired", "counter",
            "Flows ended by their idle timeout, per worker shard.");
        final Family flowsEvicted = family(families, "flyover_flows_evicted", "counter",
            "Live flows evicted to make room, per worker shard.");
        final Family flowsFull = family(families, "flyover_flow_table_full", "counter",
            "Inserts that found no room, per worker shard.");
        final Family flowHits = family(families, "flyover_flow_lookups", "counter",
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
                final Labels where;
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
                final Labels worker = l("worker", Integer.toString(owner));
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

        final Family portIgnored = family(families, "flyover_port_ignored", "counter",
            "Frames an AF_PACKET port left to the kernel, by reason: not_for_us (another MAC: broadcast, multicast), "
                + "not_ip (ARP, VLAN-tagged, runt), host_traffic (backbone: IP but not Geneve to this gateway).");
        final Family portUnresolved = family(families, "flyover_port_neighbor_unresolved", "counter",
            "Packets an AF_PACKET port could not send for want of the next hop's MAC address.");
        final Family portChecksums = family(families, "flyover_port_checksums_completed", "counter",
            "Frames an AF_PACKET port received with a partial TCP/UDP checksum (a local sender over a virtual link) "
                + "and completed before forwarding.");
        for (final EthernetPort port : gateway.ethernetPorts())
        {
            portChecksums.samples.add(new Sample(l("port", port.name()), port.device().checksumsCompleted()));
            portIgnored.samples.add(new Sample(l("port", port.name(), "reason", "not_for_us"), port.notForUs()));
            portIgnored.samples.add(new Sample(l("port", port.name(), "reason", "not_ip"), port.notIp()));
            portIgnored.samples.add(new Sample(l("port", port.name(), "reason", "host_traffic"), port.hostTraffic()));
            portUnresolved.samples.add(new Sample(l("port", port.name()), port.unresolved()));
        }

        final ForwardingTables tables = gateway.tables();
        final Family routeWeight = family(families, "flyover_route_weight", "gauge",
            "Weight of each route in the path tables from this POP: configured, or (optimizer) its share of "
            + io.flyover.optimizer.control.ControlPlane.WEIGHT_SCALE + ".");
        final Family routeBuckets = family(families, "flyover_route_buckets", "gauge",
            "Path table buckets (of " + PathTable.BUCKET_COUNT + ") each route holds: its share of new flows.");
        for (final PathTable table : new TreeMap<>(tables.pathTables()).values())
        {
            final List<WeightedRoute> routes = table.routes();
            for (int i = 0; i < routes.size(); i++)
            {
                final Labels labels = l("to", Integer.toString(table.egressPopId()), "route", path(routes.get(i).route()));
                routeWeight.samples.add(new Sample(labels, routes.get(i).weight()));
                routeBuckets.samples.add(new Sample(labels, table.bucketsOf(i)));
            }
        }
        final Family routeFlows = family(families, "flyover_route_flows_created", "counter",
            "New flows by the route they were pinned to (at the ingress POP the route chosen, at the egress POP the "
            + "route the flow arrived along), counted from the engine's events since start.");
        final io.flyover.optimizer.control.ControlPlane control = gateway.control();
        final Map<Long, java.util.concurrent.atomic.AtomicLong> byRoute = new TreeMap<>(null == control ?
            gateway.liveness().flowsCreatedByRoute() : control.flowsCreatedByRoute());
        byRoute.forEach((route, count) -> routeFlows.samples.add(
            new Sample(l("route", path(Route.unpack(route))), count.get())));
        if (null == control)
        {
            liveness(families, gateway, tables);
        }
        else
        {
            optimizer(families, gateway, control.status());
        }
        family(families, "flyover_tables_version", "gauge", "Version of the forwarding tables the workers read.")
            .samples.add(new Sample(Labels.EMPTY, tables.version()));
        family(families, "flyover_services", "gauge", "Services (VIP listeners) configured.")
            .samples.add(new Sample(Labels.EMPTY, tables.services().size()));
        final Family serviceFlows = family(families, "flyover_service_flows_created", "counter",
            "New flows by service (at the ingress POP the flows it pinned, at the egress POP the flows it gave a "
            + "backend), counted from the engine's events since start.");
        final Family serviceBackends = family(families, "flyover_service_backends", "gauge",
            "Backends of each service at this POP with a weight above 0 (the egress POP's Maglev table).");
        final Map<Integer, java.util.concurrent.atomic.AtomicLong> byService = new TreeMap<>(null == control ?
            gateway.liveness().flowsCreatedByService() : control.flowsCreatedByService());
        for (final io.flyover.dataplane.table.Service service : new TreeMap<>(tables.services()).values())
        {
            final Labels labels = l("service", Integer.toString(service.id()), "name", service.name());
            final java.util.concurrent.atomic.AtomicLong created = byService.get(service.id());
            serviceFlows.samples.add(new Sample(labels, null == created ? 0 : created.get()));
            serviceBackends.samples.add(new Sample(labels,
                service.backends().stream().filter(backend -> backend.weight() > 0).count()));
        }
        final Family reloads = family(families, "flyover_reloads", "counter", "Configuration reloads by result.");
        reloads.samples.add(new Sample(l("result", "applied"), gateway.reloadsAccepted()));
        reloads.samples.add(new Sample(l("result", "rejected"), gateway.reloadsRejected()));
        family(families, "flyover_uptime_seconds", "gauge", "Seconds since the gateway started.")
            .samples.add(new Sample(Labels.EMPTY, (long)gateway.uptimeSeconds()));

        final MetricSnapshots.Builder snapshots = MetricSnapshots.builder();
        for (final Family family : families.values())
        {
            if ("counter".equals(family.type))
            {
                final CounterSnapshot.Builder counter = CounterSnapshot.builder().name(family.name).help(family.help);
                for (final Sample sample : family.samples)
                {
                    counter.dataPoint(CounterSnapshot.CounterDataPointSnapshot.builder()
                        .labels(sample.labels).value(sample.value).build());
                }
                snapshots.metricSnapshot(counter.build());
            }
            else
            {
                final GaugeSnapshot.Builder gauge = GaugeSnapshot.builder().name(family.name).help(family.help);
                for (final Sample sample : family.samples)
                {
                    gauge.dataPoint(GaugeSnapshot.GaugeDataPointSnapshot.builder()
                        .labels(sample.labels).value(sample.value).build());
                }
                snapshots.metricSnapshot(gauge.build());
            }
        }
        final ByteArrayOutputStream out = new ByteArrayOutputStream(16 * 1024);
        try
        {
            WRITER.write(out, snapshots.build(), EscapingScheme.DEFAULT);
        }
        catch (final IOException ex)
        {
            throw new UncheckedIOException(ex);
        }
        return out.toString(StandardCharsets.UTF_8);
    }

    private static void liveness(final Map<String, Family> families, final Gateway gateway, final ForwardingTables tables)
    {
        final Family routeUp = family(families, "flyover_route_up", "gauge",
            "1 while a route in the path tables is usable: its first hop answers (liveness) or it is up (optimizer).");
        for (final PathTable table : new TreeMap<>(tables.pathTables()).values())
        {
            for (final WeightedRoute weighted : table.routes())
            {
                routeUp.samples.add(new Sample(l("to", Integer.toString(table.egressPopId()), "route",
                    path(weighted.route())), gateway.liveness().isLive(weighted.route().pop(1)) ? 1 : 0));
            }
        }
        final Family keepalives = family(families, "flyover_peer_keepalives", "counter",
            "Liveness keepalives per peer: sent, received (answers in time), lost (no answer within the detection "
            + "time), late (answers after that), reflected (the peer's keepalives answered), send_failed.");
        final Family peerUp = family(families, "flyover_peer_up", "gauge",
            "1 while liveness holds the peer up (answering), 0 while init or down.");
        final Family peerTransitions = family(families, "flyover_peer_state_changes", "counter",
            "Liveness state changes per peer (init/down to up, up to down).");
        final Family peerRtt = family(families, "flyover_peer_rtt_microseconds", "gauge",
            "Round trip of the latest answered keepalive, without the peer's residence time; -1 before any.");
        for (final LivenessAgent.Peer peer : gateway.liveness().peers().values())
        {
            final String id = Integer.toString(peer.id);
            keepalives.samples.add(new Sample(l("peer", id, "event", "sent"), peer.sent.get()));
            keepalives.samples.add(new Sample(l("peer", id, "event", "received"), peer.received.get()));
            keepalives.samples.add(new Sample(l("peer", id, "event", "lost"), peer.lost.get()));
            keepalives.samples.add(new Sample(l("peer", id, "event", "late"), peer.late.get()));
            keepalives.samples.add(new Sample(l("peer", id, "event", "reflected"), peer.reflected.get()));
            keepalives.samples.add(new Sample(l("peer", id, "event", "send_failed"), peer.sendFailed.get()));
            peerUp.samples.add(new Sample(l("peer", id), LivenessAgent.State.UP == peer.state() ? 1 : 0));
            peerTransitions.samples.add(new Sample(l("peer", id), peer.transitions.get()));
            final long rttNs = peer.lastRttNs();
            peerRtt.samples.add(new Sample(l("peer", id), rttNs < 0 ? -1 : rttNs / 1000));
        }
        family(families, "flyover_liveness_malformed", "counter",
            "Probe (OAM) messages that were not a valid keepalive or answer for this POP.")
            .samples.add(new Sample(Labels.EMPTY, gateway.liveness().malformed()));
        family(families, "flyover_liveness_table_publishes", "counter",
            "Path tables republished because the set of live peers changed.")
            .samples.add(new Sample(Labels.EMPTY, gateway.livenessPublishes()));
    }

    private static void optimizer(
        final Map<String, Family> families, final Gateway gateway, final io.flyover.optimizer.control.ControlPlaneStatus status)
    {
        final Family routeUp = family(families, "flyover_route_up", "gauge",
            "1 while a route in the path tables is usable: its first hop answers (liveness) or it is up (optimizer).");
        final Family rtt = family(families, "flyover_route_rtt_seconds", "gauge",
            "Probe RTT of each probed route: stat=ewma (smoothed), p50 and p95 of the recent probes; absent before any.");
        final Family jitter = family(families, "flyover_route_jitter_seconds", "gauge",
            "Interarrival jitter of each probed route's probe RTTs.");
        final Family loss = family(families, "flyover_route_loss_ratio", "gauge",
            "Probe loss of each probed route over the loss window, 0..1.");
        final Family share = family(families, "flyover_route_optimizer_share", "gauge",
            "Share of new flows the optimizer gives each probed route, 0..1.");
        final Family samples = family(families, "flyover_route_rtt_samples", "counter",
            "RTT samples of each probed route: kind=probe (answered probes) or passive (TCP handshakes).");
        final Family peerUp = family(families, "flyover_peer_up", "gauge",
            "1 while the peer answers: liveness holds it up, or (optimizer) its direct path is up.");
        for (final io.flyover.optimizer.control.RouteStatus r : status.routes())
        {
            final Labels labels = l("to", Integer.toString(r.dstPop()), "route", r.path());
            routeUp.samples.add(new Sample(labels, r.up() ? 1 : 0));
            if (!Double.isNaN(r.srttNs()))
            {
                rtt.samples.add(new Sample(l("to", Integer.toString(r.dstPop()), "route", r.path(), "stat", "ewma"),
                    r.srttNs() / 1e9));
            }
            if (r.p50Ns() >= 0)
            {
                rtt.samples.add(new Sample(l("to", Integer.toString(r.dstPop()), "route", r.path(), "stat", "p50"),
                    r.p50Ns() / 1e9));
                rtt.samples.add(new Sample(l("to", Integer.toString(r.dstPop()), "route", r.path(), "stat", "p95"),
                    r.p95Ns() / 1e9));
            }
            jitter.samples.add(new Sample(labels, r.jitterNs() / 1e9));
            loss.samples.add(new Sample(labels, r.loss()));
            share.samples.add(new Sample(labels, r.weight()));
            samples.samples.add(new Sample(l("to", Integer.toString(r.dstPop()), "route", r.path(), "kind", "probe"),
                r.probeSamples()));
            samples.samples.add(new Sample(l("to", Integer.toString(r.dstPop()), "route", r.path(), "kind", "passive"),
                r.passiveSamples()));
            if (io.flyover.optimizer.path.Route.hops(r.route()) == 1)
            {
                peerUp.samples.add(new Sample(l("peer", Integer.toString(r.dstPop())), r.up() ? 1 : 0));
            }
        }
        final Family probes = family(families, "flyover_optimizer_probes", "counter",
            "Optimizer probe messages: sent (requests), reflected (replies to peers' probes), malformed (not a valid "
            + "probe for this POP), rejected (late, unknown path), send_failed.");
        probes.samples.add(new Sample(l("event", "sent"), status.probesSent()));
        probes.samples.add(new Sample(l("event", "reflected"), status.repliesSent()));
        probes.samples.add(new Sample(l("event", "malformed"), status.probesMalformed()));
        probes.samples.add(new Sample(l("event", "rejected"), status.probesRejected()));
        probes.samples.add(new Sample(l("event", "send_failed"), status.sendFailures()));
        family(families, "flyover_optimizer_table_publishes", "counter",
            "Forwarding tables republished because the optimizer's path tables changed.")
            .samples.add(new Sample(Labels.EMPTY, gateway.optimizerPublishes()));
        final Family builds = family(families, "flyover_optimizer_path_tables", "counter",
            "Destinations whose weights changed: built (a new Maglev path table), reused (same bucket counts, "
            + "the table kept) or deferred (only shares moved; built at most every 2 s).");
        builds.samples.add(new Sample(l("event", "built"), status.tablesBuilt()));
        builds.samples.add(new Sample(l("event", "reused"), status.tablesReused()));
        builds.samples.add(new Sample(l("event", "deferred"), status.tablesDeferred()));
        family(families, "flyover_optimizer_journal_cycles_deleted", "counter",
            "Journal files (whole roll cycles) deleted as older than optimizer.journal-retention.")
            .samples.add(new Sample(Labels.EMPTY, status.journalCyclesDeleted()));
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

    private static Labels l(final String... pairs)
    {
        return Labels.of(pairs);
    }
}
