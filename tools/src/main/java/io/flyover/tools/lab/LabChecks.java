package io.flyover.tools.lab;

import io.flyover.nativeio.NetworkNamespace;

import java.io.IOException;
import java.io.InputStream;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;

import static io.flyover.tools.lab.LabTopology.*;

/**
 * The end-to-end checks of {@code flyover lab test}, against a lab that is up. Every request is
 * made by the real {@code curl} in the client's namespace. Runs on the caller's thread, plus one
 * {@link NetworkNamespace} thread in POP A for the failover sniffer and one each in A and C for
 * their admin APIs.
 */
public final class LabChecks
{
    /** Size of the plain download. */
    public static final long DOWNLOAD_BYTES = 50_000_000L;
    /** Size of the failover download. */
    public static final long FAILOVER_BYTES = 20_000_000L;
    /** Rate limit of the failover download: 20 MB take 5 s, well under what the lab forwards. */
    public static final long FAILOVER_RATE_BYTES_PER_S = 4_000_000L;
    /** How long the failover download runs on A→C before the cut. */
    public static final long CUT_AFTER_MS = 1_500;

    private static final long DOWNLOAD_TIMEOUT_S = 45;
    /** How long B drops a share of its traffic before the failover download starts (30 probes). */
    private static final long BIAS_MS = 3_000;

    private final Lab lab;
    private final PrintWriter log;
    private final List<String> details = new ArrayList<>();

    /**
     * @param lab the lab (up).
     * @param log progress lines.
     */
    public LabChecks(final Lab lab, final PrintWriter log)
    {
        this.lab = lab;
        this.log = log;
    }

    /**
     * Run every check; a failing check does not stop the others.
     *
     * @return the result.
     */
    public LabResult run()
    {
        final String nonce = Long.toHexString(ThreadLocalRandom.current().nextLong() & Long.MAX_VALUE);
        final boolean curlOk = checkPage(nonce);
        final boolean clientIpSeen = checkAccessLog(nonce);
        final boolean downloadOk = checkDownload();
        final long[] failoverMs = { -1 };
        final boolean failoverOk = checkFailover(failoverMs);
        return new LabResult(curlOk, clientIpSeen, downloadOk, failoverOk, failoverMs[0], List.copyOf(details));
    }

    private void note(final String line)
    {
        details.add(line);
        log.println("lab test: " + line);
        log.flush();
    }

    private static String[] curl(final long maxTimeS, final String url)
    {
        return Shell.inNamespace(NS_CLIENT, Shell.find("curl"), "-sS", "--fail", "--noproxy", "*",
            "--max-time", Long.toString(maxTimeS), "-o", "-", url);
    }

    private boolean checkPage(final String nonce)
    {
        final String url = "http://" + VIP + ":" + HTTP_PORT + "/?check=" + nonce;
        Shell.Result result = null;
        for (int attempt = 0; attempt < 3; attempt++)
        {
            result = Shell.tryRun(30_000, curl(10, url));
            if (0 == result.exitCode() && BackendServer.PAGE.equals(result.output()))
            {
                note("curl_ok: GET " + url + " from " + NS_CLIENT + " returned the backend's page");
                return true;
            }
            Lab.sleepMs(1000);
        }
        note("curl_ok FAILED: GET " + url + " exit " + result.exitCode() + ": " + result.output().trim());
        return false;
    }

    private boolean checkAccessLog(final String nonce)
    {
        final Path accessLog = lab.accessLog();
        try
        {
            // the backend writes the line once the response is complete, a moment after curl has it
            final long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
            List<String> lines = Files.readAllLines(accessLog);
            while (lines.stream().noneMatch(l -> l.contains("check=" + nonce)) && System.nanoTime() - deadline < 0)
            {
                Lab.sleepMs(50);
                lines = Files.readAllLines(accessLog);
            }
            for (final String line : lines)
            {
                if (line.contains("check=" + nonce))
                {
                    final String[] fields = line.split(" ");
                    final String peer = fields.length > 1 ? fields[1] : "";
                    final boolean seen = peer.startsWith(CLIENT_IP + ":");
                    note((seen ? "client_ip_seen: " : "client_ip_seen FAILED: ") + "the backend logged the request from "
                        + peer + " (client is " + CLIENT_IP + ")");
                    return seen;
                }
            }
            note("client_ip_seen FAILED: no request with check=" + nonce + " in " + accessLog);
            return false;
        }
        catch (final IOException ex)
        {
            note("client_ip_seen FAILED: cannot read " + accessLog + ": " + ex.getMessage());
            return false;
        }
    }

    private boolean checkDownload()
    {
        final long seed = ThreadLocalRandom.current().nextLong(1, Long.MAX_VALUE);
        final Download download = Download.start(blobUrl(seed, DOWNLOAD_BYTES, 0));
        final Download.Outcome outcome = download.await(DOWNLOAD_TIMEOUT_S);
        final String expected = Payload.sha256(seed, DOWNLOAD_BYTES);
        final boolean ok = outcome.ok(DOWNLOAD_BYTES, expected);
        note((ok ? "download_ok: " : "download_ok FAILED: ") + outcome.describe(DOWNLOAD_BYTES, expected));
        return ok;
    }

    private static String blobUrl(final long seed, final long bytes, final long rate)
    {
        return "http://" + VIP + ":" + HTTP_PORT + "/blob?bytes=" + bytes + "&seed=" + seed + "&rate=" + rate;
    }

    private boolean checkFailover(final long[] failoverMs)
    {
        if (!Shell.installed("iptables"))
        {
            note("failover_ok FAILED: iptables is not installed (the cut is an iptables DROP)");
            return false;
        }
        final long seed = ThreadLocalRandom.current().nextLong(1, Long.MAX_VALUE);
        final TunnelSniffer.Watch fromC = new TunnelSniffer.Watch(LINK_A_C, UNDERLAY_C, UNDERLAY_A);
        final TunnelSniffer.Watch fromB = new TunnelSniffer.Watch(LINK_A_B, UNDERLAY_B, UNDERLAY_A);
        boolean cut = false;
        // inA runs the sniffer until it stops; adminA and adminC ask the gateways' admin APIs
        try (NetworkNamespace inA = Lab.enter(NS_A); NetworkNamespace adminA = Lab.enter(NS_A);
            NetworkNamespace adminC = Lab.enter(NS_C))
        {
            final boolean optimizer = Lab.call(adminA, () -> Lab.httpGet(ADMIN_A, "/status"), 10_000)
                .contains("\"routes\":[");
            if (optimizer)
            {
                // Over veth the two routes differ by scheduling noise, so either may be preferred (and
                // hysteresis keeps it). Until the cut, B drops a share of what it receives: the
                // optimizer learns the relay's loss and prefers the direct routes.
                final long biasNs = System.nanoTime();
                biasAgainstRelay(true);
                awaitRoutes(adminA, ADMIN_A, "1>3", "1>2>3");
                awaitRoutes(adminC, ADMIN_C, "3>1", "3>2>1");
                Lab.sleepMs(Math.max(0, BIAS_MS - TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - biasNs)));
            }
            final TunnelSniffer sniffer = Lab.call(inA, () -> new TunnelSniffer(List.of(fromC, fromB)), 10_000);
            final long sniffDeadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(DOWNLOAD_TIMEOUT_S + 10);
            inA.submit(() -> sniffer.run(sniffDeadline));
            try
            {
                final long startNs = System.nanoTime();
                final Download download = Download.start(blobUrl(seed, FAILOVER_BYTES, FAILOVER_RATE_BYTES_PER_S));
                final long cutAtNs = startNs + TimeUnit.MILLISECONDS.toNanos(CUT_AFTER_MS);
                while (System.nanoTime() - cutAtNs < 0 && !download.finished())
                {
                    Lab.sleepMs(20);
                }
                final long directBefore = fromC.payloadPackets.get();
                final long relayedBefore = fromB.payloadPackets.get();
                final boolean running = !download.finished();
                biasAgainstRelay(false);
                fromB.arm(System.nanoTime());
                cut = true;
                Shell.run(Shell.inNamespace(NS_C, Shell.IPTABLES, "-I", "INPUT", "-i", LINK_C_A, "-j", "DROP"));
                Shell.run(Shell.inNamespace(NS_A, Shell.IPTABLES, "-I", "INPUT", "-i", LINK_A_C, "-j", "DROP"));
                final long cutNs = System.nanoTime();
                final long directAtCut = fromC.payloadPackets.get();
                final Download.Outcome outcome = download.await(DOWNLOAD_TIMEOUT_S);
                Lab.sleepMs(100);
                final long first = fromB.firstAfterArmNs.get();
                failoverMs[0] = 0 == first ? -1 : Math.max(0, TimeUnit.NANOSECONDS.toMillis(first - cutNs));
                final long relayedAfter = fromB.payloadPackets.get() - relayedBefore;
                if (optimizer)
                {
                    final String status = Lab.call(adminA, () -> Lab.httpGet(ADMIN_A, "/status"), 10_000);
                    note("after the cut A's path table to C holds " + Lab.tableRoutes(status, 3)
                        + " (learned: the lab configures no routes when the optimizer runs)");
                }
                final String expected = Payload.sha256(seed, FAILOVER_BYTES);
                final boolean intact = outcome.ok(FAILOVER_BYTES, expected);
                final boolean ok = running && directBefore > 0 && 0 == relayedBefore && relayedAfter > 0 && intact;
                note(String.format(Locale.ROOT, "%s: before the cut (%d ms into a %d B/s download, still running: %b) "
                        + "%d payload packets came from C on A-C and %d from B on A-B; after it %d came from B; "
                        + "first over A-B-C %d ms after the cut; %s",
                    ok ? "failover_ok" : "failover_ok FAILED", CUT_AFTER_MS, FAILOVER_RATE_BYTES_PER_S, running,
                    directAtCut, relayedBefore, relayedAfter, failoverMs[0], outcome.describe(FAILOVER_BYTES, expected)));
                return ok;
            }
            finally
            {
                sniffer.stop();
                Lab.call(inA, () ->
                {
                    sniffer.close();
                    return null;
                }, 10_000);
            }
        }
        catch (final LabException ex)
        {
            note("failover_ok FAILED: " + ex.getMessage());
            return false;
        }
        finally
        {
            biasAgainstRelay(false);
            if (cut)
            {
                Shell.tryRun(10_000, Shell.inNamespace(NS_C, Shell.IPTABLES, "-D", "INPUT", "-i", LINK_C_A, "-j", "DROP"));
                Shell.tryRun(10_000, Shell.inNamespace(NS_A, Shell.IPTABLES, "-D", "INPUT", "-i", LINK_A_C, "-j", "DROP"));
            }
        }
    }

    /**
     * Drop (or stop dropping) 10 % of what arrives at B from A and from C, at random: a probe
     * through B then crosses two lossy hops, and the optimizer's loss penalty makes the direct
     * routes preferred.
     *
     * @param on add the rules, or remove them (removing rules that are not there is harmless).
     */
    private static void biasAgainstRelay(final boolean on)
    {
        for (final String link : List.of(LINK_B_A, LINK_B_C))
        {
            final String[] command = Shell.inNamespace(NS_B, Shell.IPTABLES, on ? "-I" : "-D", "INPUT", "-i", link,
                "-m", "statistic", "--mode", "random", "--probability", "0.1", "-j", "DROP");
            if (on)
            {
                Shell.run(command);
            }
            else
            {
                Shell.tryRun(10_000, command);
            }
        }
    }

    /**
     * Wait (at most 20 s) until a POP's optimizer prefers the direct route and has the relay route
     * up, found by its probes.
     *
     * @param ns        the POP's namespace thread.
     * @param adminPort its admin port.
     * @param direct    the direct route, e.g. {@code 1>3}.
     * @param relay     the route through B, e.g. {@code 1>2>3}.
     */
    private void awaitRoutes(final NetworkNamespace ns, final int adminPort, final String direct, final String relay)
    {
        final long startNs = System.nanoTime();
        final long deadline = startNs + TimeUnit.SECONDS.toNanos(20);
        String status = "";
        while (System.nanoTime() - deadline < 0)
        {
            status = Lab.call(ns, () -> Lab.httpGet(adminPort, "/status"), 10_000);
            if ("up".equals(Lab.routeField(status, direct, "state")) && "true".equals(Lab.routeField(status, direct, "preferred"))
                && "up".equals(Lab.routeField(status, relay, "state")))
            {
                note(String.format(Locale.ROOT, "optimizer in %s: %s preferred (rtt %s ms, loss %s), %s %s (rtt %s ms, "
                        + "loss %s) after %d ms", ns.name(), direct, Lab.routeField(status, direct, "rtt_ms"),
                    Lab.routeField(status, direct, "loss"), relay, Lab.routeField(status, relay, "state"),
                    Lab.routeField(status, relay, "rtt_ms"), Lab.routeField(status, relay, "loss"),
                    TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - startNs)));
                return;
            }
            Lab.sleepMs(100);
        }
        note("optimizer in " + ns.name() + ": not (" + direct + " preferred and " + relay + " up) within 20 s: " + direct + " " + Lab.routeField(status, direct, "state") + " preferred="
            + Lab.routeField(status, direct, "preferred") + ", " + relay + " " + Lab.routeField(status, relay, "state"));
    }

    /**
     * A curl download in the client's namespace whose output is hashed as it arrives.
     */
    static final class Download
    {
        private final Process process;
        private final Thread reader;
        private final MessageDigest digest = Payload.sha256();
        private final StringBuilder errors = new StringBuilder();
        private final long startNs = System.nanoTime();
        private volatile long bytes;

        private Download(final Process process)
        {
            this.process = process;
            this.reader = Thread.ofPlatform().daemon().name("lab-download").start(this::read);
            Thread.ofPlatform().daemon().name("lab-download-err").start(() ->
            {
                try
                {
                    final String text = new String(process.getErrorStream().readAllBytes(), StandardCharsets.UTF_8);
                    synchronized (errors)
                    {
                        errors.append(text.trim());
                    }
                }
                catch (final IOException ex)
                {
                    synchronized (errors)
                    {
                        errors.append(ex.getMessage());
                    }
                }
            });
        }

        static Download start(final String url)
        {
            try
            {
                final Process process = new ProcessBuilder(curl(DOWNLOAD_TIMEOUT_S, url))
                    .redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null"))).start();
                return new Download(process);
            }
            catch (final IOException ex)
            {
                throw new LabException("cannot run curl: " + ex.getMessage(), ex);
            }
        }

        private void read()
        {
            final byte[] chunk = new byte[64 * 1024];
            try (InputStream in = process.getInputStream())
            {
                int n;
                while ((n = in.read(chunk)) > 0)
                {
                    digest.update(chunk, 0, n);
                    bytes += n;
                }
            }
            catch (final IOException ex)
            {
                synchronized (errors)
                {
                    errors.append("read: ").append(ex.getMessage());
                }
            }
        }

        boolean finished()
        {
            return !process.isAlive();
        }

        /**
         * What arrived.
         *
         * @param exitCode curl's exit code (-1: killed after the timeout).
         * @param bytes    bytes received.
         * @param sha256   their SHA-256.
         * @param seconds  how long it ran.
         * @param error    curl's stderr.
         */
        record Outcome(int exitCode, long bytes, String sha256, double seconds, String error)
        {
            boolean ok(final long expectedBytes, final String expectedSha)
            {
                return 0 == exitCode && expectedBytes == bytes && expectedSha.equals(sha256);
            }

            String describe(final long expectedBytes, final String expectedSha)
            {
                return String.format(Locale.ROOT, "%d of %d bytes in %.1f s (%.1f MB/s), curl exit %d, sha256 %s%s",
                    bytes, expectedBytes, seconds, bytes / Math.max(seconds, 1e-3) / 1e6, exitCode,
                    expectedSha.equals(sha256) ? "matches" : "differs",
                    error.isEmpty() ? "" : " (" + error + ")");
            }
        }

        Outcome await(final long timeoutS)
        {
            try
            {
                int exit = -1;
                if (process.waitFor(timeoutS + 5, TimeUnit.SECONDS))
                {
                    exit = process.exitValue();
                }
                else
                {
                    process.destroyForcibly();
                }
                reader.join(10_000);
                final double seconds = (System.nanoTime() - startNs) / 1e9;
                final String error;
                synchronized (errors)
                {
                    error = errors.toString();
                }
                return new Outcome(exit, bytes, HexFormat.of().formatHex(digest.digest()), seconds, error);
            }
            catch (final InterruptedException ex)
            {
                process.destroyForcibly();
                Thread.currentThread().interrupt();
                throw new LabException("interrupted", ex);
            }
        }
    }
}
