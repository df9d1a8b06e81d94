package io.flyover.tools;

import io.flyover.tools.gateway.JsonReader;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.io.IOException;
import java.io.PrintWriter;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;

/**
 * {@code flyover status [--addr host:port]}: fetches a running gateway's {@code /status} and prints
 * it as tables. Main thread.
 */
@Command(
    name = "status",
    mixinStandardHelpOptions = true,
    description = {
        "Prints a running gateway's status (its admin API's /status) as readable tables.",
        "Exit codes: 0 printed; 1 the gateway could not be reached or answered badly."
    })
public final class StatusCommand implements Callable<Integer>
{
    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Option(names = "--addr", paramLabel = "HOST:PORT", defaultValue = "127.0.0.1:9810",
        description = "the gateway's admin API, default ${DEFAULT-VALUE}")
    String address;

    @Option(names = "--json", description = "print the raw JSON instead of tables")
    boolean json;

    @Override
    public Integer call()
    {
        final PrintWriter out = spec.commandLine().getOut();
        final PrintWriter err = spec.commandLine().getErr();
        final String body;
        try (HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build())
        {
            final HttpResponse<String> response = client.send(
                HttpRequest.newBuilder(URI.create("http://" + address + "/status")).timeout(Duration.ofSeconds(5)).GET().build(),
                HttpResponse.BodyHandlers.ofString());
            if (200 != response.statusCode())
            {
                err.println("flyover status: http://" + address + "/status answered " + response.statusCode());
                err.flush();
                return 1;
            }
            body = response.body();
        }
        catch (final IOException | IllegalArgumentException ex)
        {
            err.println("flyover status: cannot reach a gateway at " + address + ": " + ex);
            err.flush();
            return 1;
        }
        catch (final InterruptedException ex)
        {
            Thread.currentThread().interrupt();
            return 1;
        }
        if (json)
        {
            out.print(body);
            out.flush();
            return 0;
        }
        try
        {
            out.print(format(JsonReader.parse(body)));
        }
        catch (final IllegalArgumentException | ClassCastException | NullPointerException ex)
        {
            err.println("flyover status: unexpected /status document: " + ex.getMessage());
            err.flush();
            return 1;
        }
        out.flush();
        return 0;
    }

    /**
     * Renders a /status document.
     *
     * @param document the parsed JSON.
     * @return readable text.
     */
    @SuppressWarnings("unchecked")
    static String format(final Object document)
    {
        final Map<String, Object> status = (Map<String, Object>)document;
        final Map<String, Object> pop = (Map<String, Object>)status.get("pop");
        final StringBuilder sb = new StringBuilder();
        sb.append("POP ").append(integer(pop.get("id"))).append(' ').append(pop.get("name"))
            .append("  underlay ").append(pop.get("underlay"))
            .append("  uptime ").append(status.get("uptime_seconds")).append(" s")
            .append("  tables v").append(integer(status.get("tables_version"))).append('\n');
        final Map<String, Object> threads = (Map<String, Object>)status.get("threads");
        if (null != threads)
        {
            sb.append("threads ").append(threads.get("mode")).append(", ").append(integer(threads.get("workers")))
                .append(" workers, idle ").append(threads.get("idle")).append('\n');
        }

        sb.append("\nPeers\n");
        final List<String[]> peers = new ArrayList<>();
        peers.add(new String[]{"ID", "NAME", "UNDERLAY", "STATE"});
        for (final Object o : (List<Object>)status.get("peers"))
        {
            final Map<String, Object> p = (Map<String, Object>)o;
            peers.add(new String[]{integer(p.get("id")), str(p.get("name")), str(p.get("underlay")), str(p.get("state"))});
        }
        table(sb, peers);

        sb.append("\nPaths\n");
        final List<String[]> paths = new ArrayList<>();
        paths.add(new String[]{"TO", "ROUTE", "WEIGHT", "BUCKETS"});
        for (final Object o : (List<Object>)status.get("paths"))
        {
            final Map<String, Object> p = (Map<String, Object>)o;
            paths.add(new String[]{integer(p.get("to")), str(p.get("route")), integer(p.get("weight")), integer(p.get("buckets"))});
        }
        table(sb, paths);

        if (null != status.get("routes"))
        {
            sb.append("\nRoutes (optimizer)\n");
            final List<String[]> routes = new ArrayList<>();
            routes.add(new String[]{"TO", "ROUTE", "STATE", "RTT MS", "P50", "P95", "JITTER", "LOSS", "SHARE", "PREF"});
            for (final Object o : (List<Object>)status.get("routes"))
            {
                final Map<String, Object> r = (Map<String, Object>)o;
                routes.add(new String[]{integer(r.get("to")), str(r.get("route")), str(r.get("state")),
                    decimal(r.get("rtt_ms"), 2), decimal(r.get("rtt_p50_ms"), 2), decimal(r.get("rtt_p95_ms"), 2),
                    decimal(r.get("jitter_ms"), 2), percent(r.get("loss")), percent(r.get("weight")),
                    Boolean.TRUE.equals(r.get("preferred")) ? "*" : ""});
            }
            table(sb, routes);
        }

        sb.append("\nServices\n");
        final List<String[]> services = new ArrayList<>();
        services.add(new String[]{"ID", "NAME", "VIP", "PROTO", "PORTS", "EGRESS", "BACKENDS"});
        for (final Object o : (List<Object>)status.get("services"))
        {
            final Map<String, Object> s = (Map<String, Object>)o;
            final StringBuilder backends = new StringBuilder();
            for (final Object b : (List<Object>)s.get("backends"))
            {
                final Map<String, Object> backend = (Map<String, Object>)b;
                backends.append(backends.isEmpty() ? "" : " ").append(backend.get("address")).append(':')
                    .append(integer(backend.get("port"))).append(" w").append(integer(backend.get("weight")));
            }
            services.add(new String[]{integer(s.get("id")), str(s.get("name")), str(s.get("vip")), str(s.get("protocol")),
                str(s.get("ports")), integer(s.get("egress")), backends.isEmpty() ? "-" : backends.toString()});
        }
        table(sb, services);
        if (null != status.get("liveness"))
        {
            sb.append("\nliveness: ").append(status.get("liveness")).append('\n');
        }
        if (null != status.get("optimizer"))
        {
            sb.append("\noptimizer: ").append(status.get("optimizer")).append('\n');
        }
        return sb.toString();
    }

    private static String decimal(final Object value, final int places)
    {
        return value instanceof final Double d ? String.format(java.util.Locale.ROOT, "%." + places + "f", d) : "-";
    }

    private static String percent(final Object value)
    {
        return value instanceof final Double d ? String.format(java.util.Locale.ROOT, "%.1f%%", d * 100) : "-";
    }

    private static String str(final Object value)
    {
        return null == value || "".equals(value) ? "-" : value.toString();
    }

    private static String integer(final Object value)
    {
        return value instanceof final Double d ? Long.toString(d.longValue()) : str(value);
    }

    private static void table(final StringBuilder sb, final List<String[]> rows)
    {
        if (rows.size() == 1)
        {
            sb.append("  (none)\n");
            return;
        }
        final int[] widths = new int[rows.get(0).length];
        for (final String[] row : rows)
        {
            for (int i = 0; i < row.length; i++)
            {
                widths[i] = Math.max(widths[i], row[i].length());
            }
        }
        for (final String[] row : rows)
        {
            sb.append(' ');
            for (int i = 0; i < row.length; i++)
            {
                sb.append(' ').append(row[i]);
                if (i < row.length - 1)
                {
                    sb.append(" ".repeat(widths[i] - row[i].length() + 1));
                }
            }
            sb.append('\n');
        }
    }
}
