package io.flyover.tools.lab;

import io.flyover.tools.FlyoverCli;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * {@code flyover lab test --json} in this JVM (the CLI's code, not the launcher): it clears a
 * leftover of an interrupted lab, builds the namespaces, runs three gateway processes and the
 * backend, checks curl, the client's address, a 50 MB download and a silent A–C cut, and removes
 * everything it made. Needs root and curl, iptables; CI runs as root.
 */
@Tag("slow")
class LabCommandTest
{
    @TempDir
    Path dir;

    @Test
    @Timeout(value = 240, unit = TimeUnit.SECONDS)
    void shouldPassEveryCheckThroughThreeGatewaysAndLeaveNothingBehind() throws Exception
    {
        assumeTrue(Shell.isRoot(), "needs root: the lab creates network namespaces, veth links and TUN devices; "
            + "CI runs as root");
        requireTool("curl");
        requireTool("iptables");
        assumeTrue(Lab.labNamespaces().isEmpty(), "another lab (fo-lab-*) is running on this host");

        // what an interrupted lab leaves behind: a namespace with a process in it
        Shell.ip("netns", "add", LabTopology.NS_B);
        final Process leftover = new ProcessBuilder(Shell.inNamespace(LabTopology.NS_B, "sleep", "300")).start();
        try
        {
            final StringWriter out = new StringWriter();
            final StringWriter err = new StringWriter();
            final picocli.CommandLine cli = FlyoverCli.commandLine();
            cli.setOut(new PrintWriter(out));
            cli.setErr(new PrintWriter(err));
            final int exit = cli.execute("lab", "test", "--json", "--dir", dir.resolve("lab").toString());
            final String json = out.toString().trim();
            final String log = err.toString();

            assertTrue(leftover.waitFor(10, TimeUnit.SECONDS), "up removed the leftover namespace's process");
            assertTrue(log.contains("removed 1 namespaces an earlier lab left behind"), log);
            assertEquals(true, bool(json, "curl_ok"), log);
            assertEquals(true, bool(json, "client_ip_seen"), log);
            assertEquals(true, bool(json, "download_ok"), log);
            assertEquals(true, bool(json, "failover_ok"), log);
            final long failoverMs = number(json, "failover_ms");
            // liveness calls C down 3 x 100 ms after the last answer, which may precede the cut by
            // up to an interval, and the clock starts once both rules are in; TCP then retransmits
            assertTrue(failoverMs > 0 && failoverMs < 20_000, "failover_ms " + failoverMs + "\n" + log);
            assertEquals(0, exit, log);
            assertTrue(log.contains("0 from B on A-B"), "nothing went through B before the cut:\n" + log);
            assertEquals(List.of(), Lab.labNamespaces(), "down removed every namespace");
            final String links = Shell.ip("-o", "link", "show");
            assertFalse(links.contains(LabTopology.PREFIX), links);
        }
        finally
        {
            leftover.destroyForcibly();
            Lab.clearLeftovers(new PrintWriter(new StringWriter()));
        }
    }

    @Test
    @Timeout(value = 240, unit = TimeUnit.SECONDS)
    void shouldMeasureBothPathsInTheBenchWithAfPacketPorts() throws Exception
    {
        assumeTrue(Shell.isRoot(), "needs root: the lab creates network namespaces, veth links and TUN devices; "
            + "CI runs as root");
        requireTool("iperf3");
        assumeTrue(Lab.labNamespaces().isEmpty(), "another lab (fo-lab-*) is running on this host");
        final StringWriter out = new StringWriter();
        final StringWriter err = new StringWriter();
        final picocli.CommandLine cli = FlyoverCli.commandLine();
        cli.setOut(new PrintWriter(out));
        cli.setErr(new PrintWriter(err));
        final int exit = cli.execute("lab", "bench", "--json", "--seconds", "2", "--ports", "afpacket", "--dir", dir.resolve("bench").toString());
        final String json = out.toString().trim();
        final String log = err.toString();
        assertEquals(0, exit, log);
        // numbers are measured, not asserted: only that both paths carried traffic and the fields add up
        final long offered = number(json, "offered_pps");
        final long flyover = number(json, "flyover_pps");
        final long kernel = number(json, "kernel_pps");
        assertTrue(json.contains("\"ports\":\"afpacket\""), json);
        assertTrue(flyover > 0 && kernel > 0 && offered > 0, json);
        assertTrue(flyover <= number(json, "flyover_offered_pps") * 1.01 + 100, json);
        assertTrue(Pattern.compile("\"pps_ratio\":[0-9.]+,\"flyover_tcp_gbps\":[0-9.]+,\"kernel_tcp_gbps\":[0-9.]+,"
            + "\"tcp_ratio\":[0-9.]+").matcher(json).find(), json);
        assertTrue(log.contains("iperf3 TCP to " + LabTopology.VIP) && log.contains("iperf3 TCP to " + LabTopology.BACKEND_IP),
            log);
        assertEquals(List.of(), Lab.labNamespaces(), "the bench took its lab down");
    }

    @Test
    void shouldReportAFailedCommandWithItsExitCodeAndOutput()
    {
        final Shell.Result result = Shell.tryRun(5_000, "/bin/false");
        assertEquals(1, result.exitCode());
        final LabException ex = org.junit.jupiter.api.Assertions.assertThrows(LabException.class,
            () -> Shell.run("/bin/sh", "-c", "echo boom; exit 3"));
        assertTrue(ex.getMessage().contains("exit 3") && ex.getMessage().contains("boom"), ex.getMessage());
    }

    static void requireTool(final String tool)
    {
        if (Shell.installed(tool))
        {
            return;
        }
        final String reason = tool + " is not installed (apt-get install " + tool + ")";
        if ("true".equalsIgnoreCase(System.getenv("FLYOVER_REQUIRE_TOOLS")))
        {
            fail(reason + ", and FLYOVER_REQUIRE_TOOLS=true");
        }
        assumeTrue(false, reason);
    }

    static Boolean bool(final String json, final String field)
    {
        final Matcher m = Pattern.compile("\"" + field + "\":(true|false)").matcher(json);
        assertTrue(m.find(), field + " in " + json);
        return Boolean.valueOf(m.group(1));
    }

    static long number(final String json, final String field)
    {
        final Matcher m = Pattern.compile("\"" + field + "\":(-?[0-9]+)").matcher(json);
        assertTrue(m.find(), field + " in " + json);
        return Long.parseLong(m.group(1));
    }
}
