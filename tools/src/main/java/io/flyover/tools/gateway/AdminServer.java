package io.flyover.tools.gateway;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.flyover.dataplane.lb.Backend;
import io.flyover.dataplane.table.ForwardingTables;
import io.flyover.dataplane.table.PathTable;
import io.flyover.dataplane.table.Pop;
import io.flyover.dataplane.table.Service;
import io.flyover.dataplane.table.WeightedRoute;
import io.flyover.optimizer.control.ControlPlane;
import io.flyover.optimizer.control.ControlPlaneStatus;
import io.flyover.optimizer.control.RouteStatus;
import io.flyover.tools.config.GatewayConfig;
import io.flyover.tools.config.OptimizerConfig;
import io.flyover.tools.config.PeerConfig;
import io.flyover.tools.config.ServiceConfig;

import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.TreeMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/**
 * The admin HTTP API on its own thread (JDK {@code HttpServer}, one handler thread): {@code GET
 * /metrics}, {@code GET /status}, {@code GET /flows}, {@code POST /admin/reload}. It only reads
 * counters and the current immutable snapshot, and calls the gateway's synchronized reload.
 */
public final class AdminServer implements AutoCloseable
{
    private final Gateway gateway;
    private final HttpServer server;
    private final ExecutorService executor;

    private AdminServer(final Gateway gateway, final HttpServer server, final ExecutorService executor)
    {
        this.gateway = gateway;
        this.server = server;
        this.executor = executor;
    }

    /**
     * Binds and starts the API.
     *
     * @param gateway the gateway to serve.
     * @param listen  address and port (port 0 for any free port).
     * @return the running server.
     * @throws IOException if it cannot bind.
     */
    public static AdminServer start(final Gateway gateway, final InetSocketAddress listen) throws IOException
    {
        final HttpServer server = HttpServer.create(listen, 16);
        final ExecutorService executor = Executors.newSingleThreadExecutor(r ->
        {
            final Thread thread = new Thread(r, "flyover-admin");
            thread.setDaemon(true);
            return thread;
        });
        final AdminServer admin = new AdminServer(gateway, server, executor);
        server.setExecutor(executor);
        server.createContext("/metrics", admin::onMetrics);
        server.createContext("/status", admin::onStatus);
        server.createContext("/flows", admin::onFlows);
        server.createContext("/admin/reload", admin::onReload);
        server.createContext("/", exchange -> respond(exchange, 404, "text/plain; charset=utf-8",
            "not found; endpoints: GET /metrics, GET /status, GET /flows, POST /admin/reload\n"));
        server.start();
        return admin;
    }

    /**
     * @return the bound address (the real port when 0 was asked for).
     */
    public InetSocketAddress address()
    {
        return server.getAddress();
    }

    private void onMetrics(final HttpExchange exchange) throws IOException
    {
        if (!requireMethod(exchange, "GET"))
        {
            return;
        }
        respond(exchange, 200, Metrics.CONTENT_TYPE, Metrics.render(gateway));
    }

    private void onStatus(final HttpExchange exchange) throws IOException
    {
        if (!requireMethod(exchange, "GET"))
        {
            return;
        }
        respond(exchange, 200, "application/json", status(gateway));
    }

    private void onFlows(final HttpExchange exchange) throws IOException
    {
        if (!requireMethod(exchange, "GET"))
        {
            return;
        }
        final Object query = FlowsReport.parseQuery(exchange.getRequestURI().getRawQuery());
        if (query instanceof final String error)
        {
            respond(exchange, 400, "application/json", "{\"error\":" + Json.quote(error) + "}\n");
            return;
        }
        final Object[] parsed = (Object[])query;
        final FlowsReport.Sort sort = (FlowsReport.Sort)parsed[1];
        final List<FlowsReport.Flow> flows = FlowsReport.read(gateway, (Integer)parsed[0], sort, System.nanoTime());
        if (null == flows)
        {
            respond(exchange, 503, "application/json", "{\"error\":\"gateway is shutting down\"}\n");
            return;
        }
        respond(exchange, 200, "application/json", FlowsReport.json(flows, gateway.tables(), sort));
    }

    private void onReload(final HttpExchange exchange) throws IOException
    {
        if (!requireMethod(exchange, "POST"))
        {
            return;
        }
        final Gateway.ReloadResult result = gateway.reload();
        respond(exchange, result.accepted() ? 200 : 409, "application/json",
            "{\"accepted\":" + result.accepted() + ",\"message\":" + Json.quote(result.message()) + "}\n");
    }

    /**
     * The /status document.
     *
     * @param gateway the gateway.
     * @return JSON.
     */
    static String status(final Gateway gateway)
    {
        final GatewayConfig config = gateway.config();
        final ForwardingTables tables = gateway.tables();
        final StringBuilder sb = new StringBuilder(4096);
        sb.append("{\"pop\":{\"id\":").append(config.pop().id()).append(",\"name\":").append(Json.quote(config.pop().name()))
            .append(",\"underlay\":").append(Json.quote(address(tables.localPop().underlay()))).append('}');
        sb.append(",\"uptime_seconds\":").append(String.format(java.util.Locale.ROOT, "%.1f", gateway.uptimeSeconds()));
        sb.append(",\"tables_version\":").append(tables.version());
        sb.append(",\"config_file\":").append(Json.quote(gateway.configFile().toString()));
        sb.append(",\"threads\":{\"mode\":").append(Json.quote(config.threads().mode().name().toLowerCase()))
            .append(",\"workers\":").append(config.threads().workers())
            .append(",\"idle\":").append(Json.quote(config.threads().idle().name().toLowerCase())).append('}');
        final ControlPlane control = gateway.control();
        final ControlPlaneStatus optimizer = null == control ? null : control.status();
        if (null == optimizer)
        {
            sb.append(",\"liveness\":").append(Json.quote("keepalives every " + config.liveness().interval().toMillis()
                + " ms, down after " + config.liveness().multiplier() + " missed, up after "
                + LivenessAgent.UP_AFTER_ANSWERS + " answered in a row; paths through a peer that is not up are left out"));
        }
        else
        {
            final OptimizerConfig o = config.optimizer();
            sb.append(",\"optimizer\":").append(Json.quote("probes every " + o.probeInterval().toMillis()
                + " ms on every candidate path, down after " + o.detectMultiplier() + " missed, up after "
                + o.upAfter() + " answered in a row; " + o.candidates() + " candidates per destination, "
                + o.explorationPercent() + "% exploration, hold " + o.hold().toMillis() + " ms"
                + (o.journal() ? "; journal in " + config.journalDir() : "; no journal")));
        }
        sb.append(",\"peers\":[");
        final List<PeerConfig> peers = config.peers();
        for (int i = 0; i < peers.size(); i++)
        {
            final Pop pop = tables.pop(peers.get(i).id());
            sb.append(i > 0 ? "," : "").append("{\"id\":").append(pop.id()).append(",\"name\":").append(Json.quote(pop.name()))
                .append(",\"underlay\":").append(Json.quote(address(pop.underlay())));
            if (null != optimizer)
            {
                final RouteStatus direct = optimizer.route(io.flyover.optimizer.path.Route.of(config.pop().id(), pop.id()));
                sb.append(",\"state\":").append(Json.quote(null == direct || 0 == direct.probeSamples() ? "init" :
                    direct.up() ? "up" : "down"));
                sb.append(",\"rtt_us\":").append(null == direct || Double.isNaN(direct.srttNs()) ? -1 :
                    (long)(direct.srttNs() / 1000)).append('}');
                continue;
            }
            final LivenessAgent.Peer peer = gateway.liveness().peers().get(pop.id());
            if (null == peer)
            {
                sb.append(",\"state\":\"init\"}");
                continue;
            }
            sb.append(",\"state\":").append(Json.quote(peer.state().label()))
                .append(",\"keepalives\":{\"sent\":").append(peer.sent.get())
                .append(",\"received\":").append(peer.received.get())
                .append(",\"lost\":").append(peer.lost.get())
                .append(",\"late\":").append(peer.late.get())
                .append(",\"reflected\":").append(peer.reflected.get()).append('}')
                .append(",\"rtt_us\":").append(peer.lastRttNs() < 0 ? -1 : peer.lastRttNs() / 1000)
                .append(",\"state_changes\":").append(peer.transitions.get()).append('}');
        }
        sb.append("],\"paths\":[");
        boolean first = true;
        for (final PathTable table : new TreeMap<>(tables.pathTables()).values())
        {
            final List<WeightedRoute> routes = table.routes();
            for (int i = 0; i < routes.size(); i++)
            {
                sb.append(first ? "" : ",").append("{\"to\":").append(table.egressPopId())
                    .append(",\"route\":").append(Json.quote(Metrics.path(routes.get(i).route())))
                    .append(",\"weight\":").append(routes.get(i).weight())
                    .append(",\"buckets\":").append(table.bucketsOf(i)).append('}');
                first = false;
            }
        }
        sb.append(']');
        if (null != optimizer)
        {
            sb.append(",\"routes\":[");
            final List<RouteStatus> routes = optimizer.routes();
            for (int i = 0; i < routes.size(); i++)
            {
                final RouteStatus r = routes.get(i);
                sb.append(i > 0 ? "," : "").append("{\"to\":").append(r.dstPop())
                    .append(",\"route\":").append(Json.quote(r.path()))
                    .append(",\"state\":").append(Json.quote(r.up() ? "up" : "down"))
                    .append(",\"rtt_ms\":").append(ms(r.srttNs()))
                    .append(",\"rtt_p50_ms\":").append(r.p50Ns() < 0 ? "null" : ms(r.p50Ns()))
                    .append(",\"rtt_p95_ms\":").append(r.p95Ns() < 0 ? "null" : ms(r.p95Ns()))
                    .append(",\"jitter_ms\":").append(ms(r.jitterNs()))
                    .append(",\"loss\":").append(String.format(java.util.Locale.ROOT, "%.4f", r.loss()))
                    .append(",\"weight\":").append(String.format(java.util.Locale.ROOT, "%.4f", r.weight()))
                    .append(",\"preferred\":").append(r.preferred())
                    .append(",\"probe_samples\":").append(r.probeSamples())
                    .append(",\"passive_samples\":").append(r.passiveSamples())
                    .append(",\"staleness_ms\":").append(r.stalenessNs() < 0 ? -1 : r.stalenessNs() / 1_000_000)
                    .append(",\"flows_created\":").append(r.flowsCreated()).append('}');
            }
            sb.append(']');
        }
        sb.append(",\"services\":[");
        final List<ServiceConfig> services = config.services();
        for (int i = 0; i < services.size(); i++)
        {
            final ServiceConfig sc = services.get(i);
            final Service service = tables.service(sc.id());
            sb.append(i > 0 ? "," : "").append("{\"id\":").append(sc.id()).append(",\"name\":").append(Json.quote(sc.name()))
                .append(",\"vip\":").append(Json.quote(sc.vip().getHostAddress()))
                .append(",\"protocol\":").append(Json.quote(sc.protocol().name().toLowerCase()))
                .append(",\"ports\":").append(Json.quote(sc.protocol().hasPorts() ? sc.ports().toString() : ""))
                .append(",\"egress\":").append(sc.egressPop())
                .append(",\"bandwidth_bytes_per_second\":").append(service.bandwidthCapBytesPerSecond())
                .append(",\"backends\":[");
            final List<Backend> backends = service.backends();
            for (int b = 0; b < backends.size(); b++)
            {
                final Backend backend = backends.get(b);
                sb.append(b > 0 ? "," : "").append("{\"id\":").append(backend.id())
                    .append(",\"address\":").append(Json.quote(backend.address().getHostAddress()))
                    .append(",\"port\":").append(backend.port())
                    .append(",\"weight\":").append(backend.weight()).append('}');
            }
            sb.append("]}");
        }
        sb.append("]}\n");
        return sb.toString();
    }

    private static String ms(final double ns)
    {
        return Double.isNaN(ns) ? "null" : String.format(java.util.Locale.ROOT, "%.3f", ns / 1e6);
    }

    private static String address(final InetSocketAddress address)
    {
        return address.getAddress().getHostAddress() + ":" + address.getPort();
    }

    private static boolean requireMethod(final HttpExchange exchange, final String method) throws IOException
    {
        if (method.equals(exchange.getRequestMethod()))
        {
            return true;
        }
        exchange.getResponseHeaders().add("Allow", method);
        respond(exchange, 405, "text/plain; charset=utf-8", "method not allowed; use " + method + "\n");
        return false;
    }

    private static void respond(final HttpExchange exchange, final int status, final String type, final String body)
        throws IOException
    {
        final byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().set("Content-Type", type);
        exchange.sendResponseHeaders(status, bytes.length);
        try (OutputStream out = exchange.getResponseBody())
        {
            out.write(bytes);
        }
    }

    /**
     * Stops the server (waits up to one second for a request in progress).
     */
    @Override
    public void close()
    {
        server.stop(1);
        executor.shutdownNow();
    }
}
