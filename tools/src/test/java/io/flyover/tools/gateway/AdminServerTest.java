package io.flyover.tools.gateway;

import io.flyover.dataplane.engine.InMemoryPort;
import io.flyover.tools.FlyoverCli;
import io.flyover.tools.config.GatewayConfig;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The admin API of a running egress gateway on an ephemeral loopback port.
 */
class AdminServerTest
{
    @TempDir
    Path dir;

    private Gateway gateway;
    private AdminServer admin;
    private HttpClient client;
    private Path file;
    private int portC;
    private int portA;

    @BeforeEach
    void start() throws Exception
    {
        portC = GatewayTestConfigs.freePortPair("127.0.0.3");
        portA = portC + 100;
        file = GatewayTestConfigs.write(dir.resolve("c.yaml"), GatewayTestConfigs.popC(portC, portA, dir, 1));
        final GatewayConfig config = GatewayEndToEndTest.load(file);
        gateway = Gateway.start(file, config, GatewayEndToEndTest.opener(new InMemoryPort("origin", false, 1024, 2048)),
            t -> { });
        admin = AdminServer.start(gateway, new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
        client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
    }

    @AfterEach
    void stop()
    {
        client.close();
        admin.close();
        gateway.close();
    }

    @Test
    void shouldServeDropReasonsPortsAndFlowsAsPrometheusText() throws Exception
    {
        final HttpResponse<String> response = get("/metrics");
        assertEquals(200, response.statusCode());
        assertTrue(response.headers().firstValue("Content-Type").orElse("").startsWith("text/plain; version=0.0.4"));
        final String body = response.body();
        assertTrue(body.contains("# TYPE flyover_drops counter") || body.contains("# TYPE flyover_drops_total counter"), body);
        assertEquals(0.0, MetricsText.value(body, "flyover_drops_total", "reason", "no_service", "stage", "worker",
            "worker", "0"), body);
        assertEquals(0.0, MetricsText.value(body, "flyover_drops_total", "reason", "tunnel_bad_tag", "stage", "worker",
            "worker", "0"), body);
        assertEquals(0.0, MetricsText.value(body, "flyover_drops_total", "reason", "ring_full", "stage", "rx",
            "port", "backbone"), body);
        assertEquals(0.0, MetricsText.value(body, "flyover_port_packets_total", "port", "origin", "direction", "rx"), body);
        assertFalse(Double.isNaN(MetricsText.value(body, "flyover_flows_active", "worker", "0")), body);
        assertEquals(1.0, MetricsText.value(body, "flyover_route_weight", "to", "1", "route", "3>1"), body);
        assertEquals(65536.0, MetricsText.value(body, "flyover_route_buckets", "to", "1", "route", "3>1"), body);
        for (final String line : body.split("\n"))
        {
            assertTrue(line.startsWith("# HELP ") || line.startsWith("# TYPE ") ||
                MetricsText.SAMPLE.matcher(line).matches(), "exposition line: " + line);
        }
    }

    @Test
    @SuppressWarnings("unchecked")
    void shouldServeStatusAsJson() throws Exception
    {
        final HttpResponse<String> response = get("/status");
        assertEquals(200, response.statusCode());
        final Map<String, Object> status = (Map<String, Object>)JsonReader.parse(response.body());
        assertEquals(3.0, ((Map<String, Object>)status.get("pop")).get("id"));
        assertEquals("pop-c", ((Map<String, Object>)status.get("pop")).get("name"));
        assertEquals(1.0, status.get("tables_version"));
        final List<Object> services = (List<Object>)status.get("services");
        assertEquals(1, services.size());
        final List<Object> backends = (List<Object>)((Map<String, Object>)services.get(0)).get("backends");
        assertEquals(GatewayTestConfigs.BACKEND, ((Map<String, Object>)backends.get(0)).get("address"));
        final List<Object> peers = (List<Object>)status.get("peers");
        assertEquals("127.0.0.1:" + portA, ((Map<String, Object>)peers.get(0)).get("underlay"));
    }

    @Test
    @SuppressWarnings("unchecked")
    void shouldAnswerFlowsFromTheFlowTablesAndRejectWhatItCannotAnswer() throws Exception
    {
        final HttpResponse<String> response = get("/flows?limit=10&sort=newest");
        assertEquals(200, response.statusCode(), response.body());
        final Map<String, Object> flows = (Map<String, Object>)JsonReader.parse(response.body());
        assertEquals("newest", flows.get("sort"));
        assertEquals(0.0, flows.get("count"), "no traffic, no flows");
        assertTrue(((List<Object>)flows.get("flows")).isEmpty());

        final HttpResponse<String> largest = get("/flows?sort=largest");
        assertEquals(200, largest.statusCode(), largest.body());
        assertEquals("largest", ((Map<String, Object>)JsonReader.parse(largest.body())).get("sort"));
        final HttpResponse<String> bytes = get("/flows?sort=bytes");
        assertEquals(400, bytes.statusCode());
        assertTrue(bytes.body().contains("newest, oldest or largest"), bytes.body());
        assertEquals(400, get("/flows?limit=0").statusCode());
    }

    @Test
    void shouldRejectReloadNeedingRestartAndKeepServingTheOldConfig() throws Exception
    {
        GatewayTestConfigs.write(file, GatewayTestConfigs.popC(portC, portA, dir, 1).replace("workers: 1", "workers: 2"));
        final HttpResponse<String> rejected = post("/admin/reload");
        assertEquals(409, rejected.statusCode(), rejected.body());
        assertTrue(rejected.body().contains("needs a restart"), rejected.body());
        assertTrue(rejected.body().contains("threads.workers"), rejected.body());
        assertEquals(1, gateway.config().threads().workers());
        assertEquals(1, gateway.tables().version());
        assertTrue(get("/status").body().contains("\"tables_version\":1"));
        assertEquals(1.0, MetricsText.value(get("/metrics").body(), "flyover_reloads_total", "result", "rejected"));
    }

    @Test
    void shouldRejectInvalidReloadWithFileAndLine() throws Exception
    {
        GatewayTestConfigs.write(file, GatewayTestConfigs.popC(portC, portA, dir, 1).replace("weight: 1", "weight: heavy"));
        final HttpResponse<String> rejected = post("/admin/reload");
        assertEquals(409, rejected.statusCode(), rejected.body());
        assertTrue(rejected.body().contains(file + ":"), rejected.body());
        assertTrue(rejected.body().contains("weight"), rejected.body());
        assertEquals(1, gateway.tables().version());
    }

    @Test
    void shouldApplyHotReloadAtomically() throws Exception
    {
        GatewayTestConfigs.write(file, GatewayTestConfigs.popC(portC, portA, dir, 7));
        final HttpResponse<String> applied = post("/admin/reload");
        assertEquals(200, applied.statusCode(), applied.body());
        assertEquals(2, gateway.tables().version());
        assertEquals(7, gateway.tables().service(100).backends().get(0).weight());
        assertTrue(get("/status").body().contains("\"weight\":7"));
    }

    @Test
    void shouldRefuseWrongMethods() throws Exception
    {
        assertEquals(405, get("/admin/reload").statusCode());
        assertEquals(404, get("/nope").statusCode());
    }

    @Test
    void shouldPrintStatusAsTables()
    {
        final StringWriter out = new StringWriter();
        final StringWriter err = new StringWriter();
        final CommandLine cli = FlyoverCli.commandLine();
        cli.setOut(new PrintWriter(out));
        cli.setErr(new PrintWriter(err));
        final int exit = cli.execute("status", "--addr", "127.0.0.1:" + admin.address().getPort());
        assertEquals(0, exit, err::toString);
        final String text = out.toString();
        assertTrue(text.startsWith("POP 3 pop-c"), text);
        assertTrue(text.contains("Peers"), text);
        assertTrue(text.contains("pop-a"), text);
        assertTrue(text.contains("3>1"), text);
        assertTrue(text.contains(GatewayTestConfigs.BACKEND + ":5353 w1"), text);
    }

    private HttpResponse<String> get(final String path) throws Exception
    {
        return client.send(HttpRequest.newBuilder(uri(path)).timeout(Duration.ofSeconds(5)).GET().build(),
            HttpResponse.BodyHandlers.ofString());
    }

    private HttpResponse<String> post(final String path) throws Exception
    {
        return client.send(HttpRequest.newBuilder(uri(path)).timeout(Duration.ofSeconds(5))
            .POST(HttpRequest.BodyPublishers.noBody()).build(), HttpResponse.BodyHandlers.ofString());
    }

    private URI uri(final String path)
    {
        return URI.create("http://127.0.0.1:" + admin.address().getPort() + path);
    }
}
