package io.flyover.tools.gateway;

import io.flyover.dataplane.engine.InMemoryPort;
import io.flyover.tools.config.GatewayConfig;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * The gateway as a process (this build's classes on a child JVM, not the launcher script): SIGHUP
 * reloads, SIGTERM drains and exits 0; and, as root, a real TUN origin that exists while the
 * gateway runs and is gone after it stops.
 */
@Tag("slow")
class GatewayProcessTest
{
    private static final long TIMEOUT_S = 30;

    @TempDir
    Path dir;

    @Test
    void shouldReloadOnSighupAndExitZeroOnSigterm() throws Exception
    {
        runGateway("--default-signal=HUP", (file, process, lines) ->
        {
            awaitLine(lines, "running");
            Files.writeString(file, Files.readString(file).replace("name: dns", "name: dns2"));
            signal(process, "HUP");
            final String reloaded = awaitLine(lines, "SIGHUP");
            assertTrue(reloaded.contains("reload applied"), reloaded);
            Files.writeString(file, Files.readString(file).replace("workers: 1", "workers: 2"));
            signal(process, "HUP");
            final String rejected = awaitLine(lines, "SIGHUP");
            assertTrue(rejected.contains("reload rejected"), rejected);
            assertExitsZeroOnSigterm(process);
            awaitLine(lines, "stopped");
        });
    }

    @Test
    void shouldSayThatSighupWillNotReloadWhenTheProcessStartsWithItIgnored() throws Exception
    {
        runGateway("--ignore-signal=HUP", (file, process, lines) ->
        {
            final String warning = awaitLine(lines, "SIGHUP is ignored");
            assertTrue(warning.contains("POST /admin/reload"), warning);
            awaitLine(lines, "running");
            assertExitsZeroOnSigterm(process);
        });
    }

    /** What a test does with a running gateway process. */
    @FunctionalInterface
    private interface GatewayRun
    {
        void run(Path file, Process process, BlockingQueue<String> lines) throws Exception;
    }

    /**
     * Runs {@code body} against a gateway started on a fresh configuration through
     * {@code env signalOption}, and kills the process afterwards whatever happened.
     */
    private void runGateway(final String signalOption, final GatewayRun body) throws Exception
    {
        final Path file = configFile();
        final Process process = startGateway(file, signalOption);
        try
        {
            body.run(file, process, outputLines(process));
        }
        finally
        {
            process.destroyForcibly();
            process.waitFor(TIMEOUT_S, TimeUnit.SECONDS);
        }
    }

    /**
     * Starts {@code flyover gateway} in a child JVM through {@code env SIGNAL_OPTION}, which sets
     * the child's SIGHUP disposition whatever this process inherited (under {@code nohup} it
     * inherits SIGHUP ignored, and so would the child).
     */
    private static Process startGateway(final Path file, final String signalOption) throws IOException
    {
        final List<String> command = new java.util.ArrayList<>();
        command.add("env");
        command.add(signalOption);
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        for (final String flag : java.lang.management.ManagementFactory.getRuntimeMXBean().getInputArguments())
        {
            // the JVM flags of jvm.properties that this test JVM runs with
            if (flag.startsWith("--add-") || flag.startsWith("--enable-native-access") || flag.startsWith("--sun-misc"))
            {
                command.add(flag);
            }
        }
        command.addAll(List.of("-cp", System.getProperty("java.class.path"),
            "io.flyover.tools.FlyoverCli", "gateway", "--config", file.toString()));
        return new ProcessBuilder(command).redirectErrorStream(true).start();
    }

    /** A one-POP configuration without TUN devices, its admin API on a free loopback port. */
    private Path configFile() throws IOException
    {
        final int portA = GatewayTestConfigs.freePortPair("127.0.0.1");
        final int adminPort;
        try (ServerSocket socket = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress()))
        {
            adminPort = socket.getLocalPort();
        }
        return GatewayTestConfigs.write(dir.resolve("a.yaml"),
            GatewayTestConfigs.popA(portA, portA + 10, dir, "shared", 1)
                .replace("  edge:\n    type: tun\n    device: fly-edge\n", "")
                .replace("127.0.0.1:9899", "127.0.0.1:" + adminPort));
    }

    /** @return the process's output lines as they come, read by a daemon thread. */
    private static BlockingQueue<String> outputLines(final Process process)
    {
        final BlockingQueue<String> lines = new LinkedBlockingQueue<>();
        final Thread reader = new Thread(() ->
        {
            try (BufferedReader in = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8)))
            {
                String line;
                while (null != (line = in.readLine()))
                {
                    lines.add(line);
                }
            }
            catch (final IOException ex)
            {
                lines.add("read failed: " + ex);
            }
        });
        reader.setDaemon(true);
        reader.start();
        return lines;
    }

    @Test
    void shouldOpenRealTunOriginAndRemoveItOnClose() throws Exception
    {
        assumeTrue(isRoot(), "needs root (CAP_NET_ADMIN) to create a TUN device; CI runs as root");
        final String device = "flyt" + Long.toHexString(System.nanoTime() & 0xFFFFFFL);
        final int portC = GatewayTestConfigs.freePortPair("127.0.0.3");
        final Path file = GatewayTestConfigs.write(dir.resolve("c.yaml"),
            GatewayTestConfigs.popC(portC, portC + 10, dir, 1).replace("device: fly-origin", "device: " + device));
        final GatewayConfig config = GatewayEndToEndTest.load(file);
        final Path sys = Path.of("/sys/class/net", device);
        try (Gateway gateway = Gateway.start(file, config, PortOpener.DEVICES, t -> { }))
        {
            assertNotNull(gateway.tables());
            assertTrue(Files.exists(sys), "TUN device exists while the gateway runs");
        }
        assertFalse(Files.exists(sys), "a non-persistent TUN device vanishes when the gateway closes it");
        assertNotNull(new InMemoryPort("unused", false, 2, 256).name());
    }

    private static boolean isRoot()
    {
        try
        {
            return "0".equals(Files.readAllLines(Path.of("/proc/self/status")).stream()
                .filter(l -> l.startsWith("Uid:")).findFirst().orElse("Uid: -1").split("\\s+")[1]);
        }
        catch (final IOException ex)
        {
            return false;
        }
    }

    private static void assertExitsZeroOnSigterm(final Process process) throws Exception
    {
        signal(process, "TERM");
        assertTrue(process.waitFor(TIMEOUT_S, TimeUnit.SECONDS), "exits after SIGTERM");
        assertEquals(0, process.exitValue());
    }

    private static void signal(final Process process, final String name) throws Exception
    {
        final Process kill = new ProcessBuilder(List.of("kill", "-" + name, Long.toString(process.pid()))).start();
        assertTrue(kill.waitFor(TIMEOUT_S, TimeUnit.SECONDS));
        assertEquals(0, kill.exitValue());
    }

    private static String awaitLine(final BlockingQueue<String> lines, final String needle) throws InterruptedException
    {
        final long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(TIMEOUT_S);
        final StringBuilder seen = new StringBuilder();
        while (System.nanoTime() - deadline < 0)
        {
            final String line = lines.poll(100, TimeUnit.MILLISECONDS);
            if (null == line)
            {
                continue;
            }
            seen.append(line).append('\n');
            if (line.contains(needle))
            {
                return line;
            }
        }
        throw new AssertionError("no line containing '" + needle + "' within " + TIMEOUT_S + " s; saw:\n" + seen);
    }
}
