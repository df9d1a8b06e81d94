package io.flyover.tools;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.nio.file.AccessDeniedException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;

import io.flyover.dataplane.engine.PortRole;
import io.flyover.tools.config.ConfigLoader;
import io.flyover.tools.config.GatewayConfig;
import io.flyover.tools.pcap.CaptureFormatException;
import io.flyover.tools.pcap.CaptureReader;
import io.flyover.tools.pcap.CapturedPacket;
import io.flyover.tools.pcap.LinkType;
import io.flyover.tools.replay.CaptureGenerator;
import io.flyover.tools.replay.Replay;
import io.flyover.tools.replay.ReplayProgress;
import io.flyover.tools.replay.ReplayStats;
import io.flyover.tools.replay.ReplayWorld;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code flyover replay}: replays a pcap or pcapng capture into an in-process POP (from a
 * configuration, or the built-in world) on the capture's clock, writes a capture per output port
 * and prints what became of every packet; see {@link Replay}. {@code flyover replay generate}
 * writes the captures the tests and measurements use. Runs on the main thread. A broken or
 * unsupported file, or bad arguments: one line on stderr, exit 2.
 */
@Command(
    name = "replay",
    description = {
        "Replay a capture (pcap or pcapng; Ethernet, raw IPv4/IPv6, Linux cooked SLL/SLL2) into an in-process POP "
            + "on the capture's clock, write a capture per output port and print what became of every packet.",
        "Without --config: the built-in world, POPs a (1, ingress), b (2, relay), c (3, region); VIP 203.0.113.10 "
            + "with web (TCP 80) and dns (UDP 53).",
    },
    subcommands = ReplayCommand.Generate.class)
public final class ReplayCommand implements Callable<Integer>
{
    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Option(names = { "-h", "--help" }, usageHelp = true, description = "Show this help message and exit.")
    boolean help;

    @Option(names = "--config", paramLabel = "FILE", description = "A POP's gateway configuration; its peers are simulated.")
    Path config;

    @Option(names = "--in", paramLabel = "CAPTURE", description = "The capture to replay (required).")
    Path in;

    @Option(names = "--port", paramLabel = "PORT", description = "Where packets arrive: edge, backbone or origin (default: edge).")
    String port = "edge";

    @Option(names = "--chain", paramLabel = "A,B,C", split = ",",
        description = "Built-in world only: POP ids or names to pass in order; the counts are the last POP's.")
    List<String> chain = new ArrayList<>();

    @Option(names = "--out", paramLabel = "DIR",
        description = "Write edge.pcap, backbone.pcap and origin.pcap (raw IP, ns timestamps) of the last POP here.")
    Path out;

    @Option(names = "--json", description = "Print one JSON object instead of the table.")
    boolean json;

    @Option(names = "--no-progress", description = "No progress bar on stderr.")
    boolean noProgress;

    @Override
    public Integer call()
    {
        final PrintWriter stdout = spec.commandLine().getOut();
        final PrintWriter err = spec.commandLine().getErr();
        final PortRole role;
        final ReplayWorld world;
        try
        {
            if (null == in)
            {
                throw new IllegalArgumentException("--in CAPTURE is required");
            }
            role = switch (port)
            {
                case "edge" -> PortRole.EDGE;
                case "backbone" -> PortRole.BACKBONE;
                case "origin" -> PortRole.ORIGIN;
                default -> throw new IllegalArgumentException("--port must be edge, backbone or origin, not '" + port + "'");
            };
            if (null != config && !chain.isEmpty())
            {
                throw new IllegalArgumentException("--chain names POPs of the built-in world; it does not go with --config");
            }
            if (null != out)
            {
                try
                {
                    Files.createDirectories(out);
                }
                catch (final IOException ex)
                {
                    final String why = ex instanceof FileAlreadyExistsException ? "it exists and is not a folder" :
                        ex instanceof AccessDeniedException ? "permission denied" : String.valueOf(ex.getMessage());
                    throw new IllegalArgumentException("--out " + out + ": cannot make the folder: " + why);
                }
            }
            world = null == config ? ReplayWorld.builtIn(chain) : ReplayWorld.fromConfig(loadConfig(config));
        }
        catch (final IllegalArgumentException ex)
        {
            return fail(err, ex.getMessage());
        }

        try (world; CaptureReader reader = CaptureReader.open(in))
        {
            final CapturedPacket packet = new CapturedPacket();
            final long packets = reader.scan(packet);
            final ReplayProgress progress = noProgress ? null : new ReplayProgress(err);
            final ThreadMXBean threads = ManagementFactory.getThreadMXBean();
            final long startCpuNs = threads.getCurrentThreadCpuTime();
            final long startNs = System.nanoTime();
            final ReplayStats stats = new Replay(world, role, out, progress).run(reader, packet, packets, in.toString());
            final double seconds = (System.nanoTime() - startNs) / 1e9;
            final double cpuSeconds = (threads.getCurrentThreadCpuTime() - startCpuNs) / 1e9;
            if (json)
            {
                stdout.println(stats.toJson());
            }
            else
            {
                stdout.print(stats.toText());
                stdout.printf("replayed %d packets in %.3f s: %.3f Mpps (%.3f s of CPU on the replay thread: %.3f Mpps)%n",
                    packets, seconds, seconds > 0 ? packets / seconds / 1e6 : 0.0,
                    cpuSeconds, cpuSeconds > 0 ? packets / cpuSeconds / 1e6 : 0.0);
            }
            stdout.flush();
            return 0;
        }
        catch (final CaptureFormatException ex)
        {
            return fail(err, ex.getMessage());
        }
        catch (final UncheckedIOException ex)
        {
            return fail(err, "cannot write output: " + ex.getMessage());
        }
    }

    private static GatewayConfig loadConfig(final Path file)
    {
        final ConfigLoader.Result result = ConfigLoader.load(file);
        if (!result.isValid())
        {
            final String first = result.errors().get(0).toString();
            throw new IllegalArgumentException(first + (result.errors().size() > 1 ?
                " (and " + (result.errors().size() - 1) + " more; see flyover gateway --check)" : ""));
        }
        return result.config();
    }

    private static int fail(final PrintWriter err, final String message)
    {
        err.println("flyover replay: " + message);
        err.flush();
        return 2;
    }

    /**
     * {@code flyover replay generate}: writes a capture for tests and measurements.
     */
    @Command(
        name = "generate",
        description = "Write a capture: edge-mix (clients at POP a of the built-in world), backbone-mix (what a sends "
            + "into the backbone for them, plus forged copies) or flows (--packets over --flows, for measurements).")
    static final class Generate implements Callable<Integer>
    {
        @CommandLine.Spec
        CommandLine.Model.CommandSpec spec;

        @Option(names = { "-h", "--help" }, usageHelp = true, description = "Show this help message and exit.")
        boolean help;

        @Option(names = "--kind", paramLabel = "KIND", required = true, description = "edge-mix, backbone-mix or flows.")
        String kind;

        @Option(names = "--out", paramLabel = "FILE", required = true, description = "The capture to write.")
        Path out;

        @Option(names = "--link", paramLabel = "TYPE",
            description = "ethernet, raw, ipv4, ipv6, sll or sll2 (default: ethernet).")
        String link = "ethernet";

        @Option(names = "--format", paramLabel = "FORMAT", description = "pcap or pcapng (default: pcap).")
        String format = "pcap";

        @Option(names = "--resolution", paramLabel = "RES", description = "us or ns timestamps (default: us).")
        String resolution = "us";

        @Option(names = "--big-endian", description = "Write the file in big-endian byte order.")
        boolean bigEndian;

        @Option(names = "--packets", paramLabel = "N", description = "Packets, for flows (default: 1000000).")
        long packets = 1_000_000;

        @Option(names = "--flows", paramLabel = "N", description = "Flows, for flows (default: 10000).")
        int flows = 10_000;

        @Override
        public Integer call()
        {
            final PrintWriter err = spec.commandLine().getErr();
            try
            {
                if (!"pcap".equals(format) && !"pcapng".equals(format))
                {
                    throw new IllegalArgumentException("--format must be pcap or pcapng");
                }
                if (!"us".equals(resolution) && !"ns".equals(resolution))
                {
                    throw new IllegalArgumentException("--resolution must be us or ns");
                }
                final CaptureGenerator.Spec generated = new CaptureGenerator.Spec(kind, LinkType.forName(link),
                    "pcapng".equals(format), "ns".equals(resolution), bigEndian, packets, flows);
                final long written = new CaptureGenerator().write(generated, out);
                spec.commandLine().getOut().printf("%s: %d packets%n", out, written);
                spec.commandLine().getOut().flush();
                return 0;
            }
            catch (final IllegalArgumentException ex)
            {
                return fail(err, ex.getMessage());
            }
            catch (final UncheckedIOException ex)
            {
                return fail(err, "cannot write: " + ex.getMessage());
            }
        }
    }
}
