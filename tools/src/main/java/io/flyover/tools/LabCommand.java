package io.flyover.tools;

import io.flyover.tools.lab.BackendServer;
import io.flyover.tools.lab.Lab;
import io.flyover.tools.lab.LabBench;
import io.flyover.tools.lab.LabChecks;
import io.flyover.tools.lab.LabException;
import io.flyover.tools.lab.LabResult;
import io.flyover.tools.lab.LabTopology;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.Writer;
import java.net.InetAddress;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;

/**
 * {@code flyover lab up | test | down | bench}: the three-POP lab in network namespaces (see
 * docs/lab.md). Runs on the main thread; needs root.
 */
@Command(
    name = "lab",
    description = {
        "Builds a three-POP Flyover world in network namespaces (client, POPs A, B, C, backend) and tests it end "
            + "to end. Needs root.",
        "Exit codes: 0 done (test: every check passed); 1 a step failed or a check failed; 2 usage error."
    },
    subcommands = {
        LabCommand.UpCommand.class,
        LabCommand.TestCommand.class,
        LabCommand.DownCommand.class,
        LabCommand.BenchCommand.class,
        LabCommand.BackendCommand.class,
        CommandLine.HelpCommand.class
    })
public final class LabCommand implements Runnable
{
    /** Exit code: a step or a check failed. */
    public static final int EXIT_FAILED = 1;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Option(names = { "-h", "--help" }, usageHelp = true, description = "Show this help message and exit.")
    boolean help;

    @Override
    public void run()
    {
        spec.commandLine().usage(spec.commandLine().getOut());
    }

    /**
     * Run the end-to-end checks, bringing the lab up first if it is not, and down after if this
     * call brought it up (also when the JVM is stopped meanwhile).
     *
     * @param lab the lab.
     * @param log progress lines.
     * @return the checks' result.
     * @throws LabException when the lab cannot be brought up.
     */
    public static LabResult test(final Lab lab, final PrintWriter log)
    {
        Lab.requireRootAndTools();
        if (!io.flyover.tools.lab.Shell.installed("curl"))
        {
            throw new LabException("lab test needs curl, which is not installed (apt-get install curl)");
        }
        final boolean bringUp = !Lab.isUp();
        final Thread hook = new Thread(() -> lab.down(new PrintWriter(Writer.nullWriter())), "lab-down");
        if (bringUp)
        {
            Runtime.getRuntime().addShutdownHook(hook);
        }
        try
        {
            if (bringUp)
            {
                lab.up(log);
            }
            return new LabChecks(lab, log).run();
        }
        finally
        {
            if (bringUp)
            {
                lab.down(log);
                removeHook(hook);
            }
        }
    }

    static void removeHook(final Thread hook)
    {
        try
        {
            Runtime.getRuntime().removeShutdownHook(hook);
        }
        catch (final IllegalStateException ex)
        {
            // the JVM is already shutting down and runs the hook itself
        }
    }

    static PrintWriter progress(final CommandLine.Model.CommandSpec spec, final boolean json)
    {
        return json ? spec.commandLine().getErr() : spec.commandLine().getOut();
    }

    static int failed(final CommandLine.Model.CommandSpec spec, final LabException ex)
    {
        final PrintWriter err = spec.commandLine().getErr();
        err.println("flyover lab: " + ex.getMessage());
        err.flush();
        return EXIT_FAILED;
    }

    /** {@code --ports tun|afpacket} and {@code --liveness-only}, shared by {@code up}, {@code test} and {@code bench}. */
    static final class GatewayOptions
    {
        @Option(names = "--ports", paramLabel = "tun|afpacket", description = "the gateways' edge (A) and origin (C) "
            + "ports: TUN devices, or AF_PACKET on the veth links; the backbone stays UDP (default: ${DEFAULT-VALUE})")
        String ports = "tun";

        @Option(names = "--liveness-only", description = "run the gateways without the path optimizer: liveness "
            + "keepalives and configured routes (direct, B as standby) instead of learned path tables")
        boolean livenessOnly;

        LabTopology.Options options(final CommandLine.Model.CommandSpec spec, final boolean dedicatedThreads)
        {
            if (!"tun".equals(ports) && !"afpacket".equals(ports))
            {
                throw new CommandLine.ParameterException(spec.commandLine(), "--ports must be tun or afpacket, got " + ports);
            }
            return new LabTopology.Options("afpacket".equals(ports), dedicatedThreads, !livenessOnly);
        }
    }

    /** {@code flyover lab up}. */
    @Command(name = "up", mixinStandardHelpOptions = true,
        description = "Clear what an earlier lab left behind, then build the lab and start its gateways; returns once "
            + "A and C see each other up.")
    static final class UpCommand implements Callable<Integer>
    {
        @CommandLine.Spec
        CommandLine.Model.CommandSpec spec;

        @Option(names = "--dir", paramLabel = "DIR", description = "the lab's folder (default: ${DEFAULT-VALUE})")
        Path dir = Lab.DEFAULT_DIR;

        @CommandLine.Mixin
        GatewayOptions gateways;

        @Override
        public Integer call()
        {
            final LabTopology.Options options = gateways.options(spec, false);
            try
            {
                new Lab(dir, true, options).up(spec.commandLine().getOut());
                return 0;
            }
            catch (final LabException ex)
            {
                return failed(spec, ex);
            }
        }
    }

    /** {@code flyover lab test [--json]}. */
    @Command(name = "test", mixinStandardHelpOptions = true,
        description = {
            "Check the lab end to end: curl to the VIP gets the backend's page; the backend logs the client's own "
                + "address; a 50 MB download arrives intact; a rate-limited download moves from A-C to A-B-C when the "
                + "A-C link is silently cut (iptables DROP) and arrives intact: a move the path optimizer learned "
                + "(with --liveness-only: liveness and a configured standby).",
            "Brings the lab up first if it is not, and down after if it did. Exit 0 only when every check passes."
        })
    static final class TestCommand implements Callable<Integer>
    {
        @CommandLine.Spec
        CommandLine.Model.CommandSpec spec;

        @Option(names = "--json", description = "print one JSON object: curl_ok, client_ip_seen, download_ok, "
            + "failover_ok, failover_ms")
        boolean json;

        @Option(names = "--dir", paramLabel = "DIR", description = "the lab's folder (default: ${DEFAULT-VALUE})")
        Path dir = Lab.DEFAULT_DIR;

        @CommandLine.Mixin
        GatewayOptions gateways;

        @Override
        public Integer call()
        {
            final LabTopology.Options options = gateways.options(spec, false);
            final PrintWriter out = spec.commandLine().getOut();
            try
            {
                final LabResult result = test(new Lab(dir, true, options), progress(spec, json));
                if (json)
                {
                    out.println(result.toJson());
                }
                else
                {
                    out.println(result.passed() ? "lab test: PASSED" : "lab test: FAILED");
                }
                out.flush();
                return result.passed() ? 0 : EXIT_FAILED;
            }
            catch (final LabException ex)
            {
                return failed(spec, ex);
            }
        }
    }

    /**
     * Run the benchmark on a lab of its own: replaces a running lab, brings a new one up with the
     * gateways' bounds checks off, measures, and takes it down (also when the JVM is stopped).
     *
     * @param lab     the lab.
     * @param log     progress lines.
     * @param seconds    length of each measured window.
     * @param generators UDP generator threads.
     * @return the result.
     * @throws LabException when a step fails.
     */
    public static LabBench.Result bench(final Lab lab, final PrintWriter log, final long seconds, final int generators)
    {
        Lab.requireRootAndTools();
        final Thread hook = new Thread(() -> lab.down(new PrintWriter(Writer.nullWriter())), "lab-down");
        Runtime.getRuntime().addShutdownHook(hook);
        try
        {
            lab.up(log);
            return new LabBench(lab, log, 2_000, seconds, generators).run();
        }
        finally
        {
            lab.down(log);
            removeHook(hook);
        }
    }

    /** {@code flyover lab bench [--json]}. */
    @Command(name = "bench", mixinStandardHelpOptions = true,
        description = {
            "Measure 64-byte UDP packets per second and iperf3 TCP throughput from the client to the backend through "
                + "Flyover (A->C) and, in the same namespaces with the same generator, through kernel forwarding and "
                + "kernel VXLAN between A and C.",
            "Runs on a lab of its own (a running lab is replaced) and takes it down after; the gateways of A and C are "
                + "stopped before the kernel is measured. Needs root and iperf3."
        })
    static final class BenchCommand implements Callable<Integer>
    {
        @CommandLine.Spec
        CommandLine.Model.CommandSpec spec;

        @Option(names = "--json", description = "print one JSON object: offered_pps, flyover_pps, kernel_pps, pps_ratio, "
            + "flyover_tcp_gbps, kernel_tcp_gbps, tcp_ratio (and per-path offered rates and loss)")
        boolean json;

        @Option(names = "--seconds", paramLabel = "S", description = "measured seconds per path and test, 1..60 "
            + "(default: ${DEFAULT-VALUE})")
        long seconds = 5;

        @Option(names = "--generators", paramLabel = "N", description = "UDP generator threads in the client's "
            + "namespace, 1..8 (default: ${DEFAULT-VALUE})")
        int generators = 1;

        @CommandLine.Mixin
        GatewayOptions gateways;

        @Option(names = "--threads", paramLabel = "shared|dedicated", description = "threads of gateways A and C: all "
            + "agents on one thread, or a thread per agent; B stays shared (default: ${DEFAULT-VALUE})")
        String threads = "shared";

        @Option(names = "--dir", paramLabel = "DIR", description = "the lab's folder (default: ${DEFAULT-VALUE})")
        Path dir = Lab.DEFAULT_DIR;

        @Override
        public Integer call()
        {
            if (seconds < 1 || seconds > 60)
            {
                throw new CommandLine.ParameterException(spec.commandLine(), "--seconds must be 1..60, got " + seconds);
            }
            if (generators < 1 || generators > 8)
            {
                throw new CommandLine.ParameterException(spec.commandLine(), "--generators must be 1..8, got " + generators);
            }
            if (!"shared".equals(threads) && !"dedicated".equals(threads))
            {
                throw new CommandLine.ParameterException(spec.commandLine(),
                    "--threads must be shared or dedicated, got " + threads);
            }
            final LabTopology.Options options = gateways.options(spec, "dedicated".equals(threads));
            final PrintWriter out = spec.commandLine().getOut();
            try
            {
                final LabBench.Result result = bench(new Lab(dir, false, options), progress(spec, json), seconds,
                    generators);
                out.print(json ? result.toJson() + System.lineSeparator() : result.toText());
                out.flush();
                return 0;
            }
            catch (final LabException ex)
            {
                return failed(spec, ex);
            }
        }
    }

    /** {@code flyover lab down}. */
    @Command(name = "down", mixinStandardHelpOptions = true,
        description = "Stop the lab's processes and remove its namespaces and links (fo-lab-* only).")
    static final class DownCommand implements Callable<Integer>
    {
        @CommandLine.Spec
        CommandLine.Model.CommandSpec spec;

        @Option(names = "--dir", paramLabel = "DIR", description = "the lab's folder (default: ${DEFAULT-VALUE})")
        Path dir = Lab.DEFAULT_DIR;

        @Override
        public Integer call()
        {
            try
            {
                Lab.requireRootAndTools();
                new Lab(dir, true).down(spec.commandLine().getOut());
                return 0;
            }
            catch (final LabException ex)
            {
                return failed(spec, ex);
            }
        }
    }

    /** {@code flyover lab backend}: the lab's HTTP backend, started by {@code lab up} in its namespace. */
    @Command(name = "backend", hidden = true, mixinStandardHelpOptions = true,
        description = "Run the lab's HTTP backend until stopped (lab up starts it in the backend namespace).")
    static final class BackendCommand implements Callable<Integer>
    {
        @CommandLine.Spec
        CommandLine.Model.CommandSpec spec;

        @Option(names = "--listen", required = true, paramLabel = "ADDRESS", description = "address to listen on")
        String listen;

        @Option(names = "--port", paramLabel = "PORT", description = "port (default: ${DEFAULT-VALUE})")
        int port = 8080;

        @Option(names = "--access-log", required = true, paramLabel = "FILE", description = "access log file")
        Path accessLog;

        @Override
        public Integer call() throws InterruptedException
        {
            final PrintWriter out = spec.commandLine().getOut();
            try (BackendServer server = BackendServer.start(InetAddress.getByName(listen), port, accessLog))
            {
                out.println("flyover lab backend: listening on " + listen + ":" + server.port());
                out.flush();
                new CountDownLatch(1).await();
                return 0;
            }
            catch (final IOException ex)
            {
                spec.commandLine().getErr().println("flyover lab backend: cannot listen on " + listen + ":" + port + ": " + ex);
                spec.commandLine().getErr().flush();
                return EXIT_FAILED;
            }
        }
    }
}
