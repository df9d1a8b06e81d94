package io.flyover.tools.lab;

import io.flyover.nativeio.NetworkNamespace;

import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.lang.management.ManagementFactory;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import static io.flyover.tools.lab.LabTopology.*;

/**
 * Builds and removes the lab: five network namespaces joined by veth links, one
 * {@code flyover gateway} process per POP and a backend process, all started as children that
 * outlive the command that made them (so {@code lab up} can return). Everything carries
 * {@link LabTopology#PREFIX}; {@link #down(PrintWriter)} and {@link #clearLeftovers(PrintWriter)}
 * find the lab's processes through {@code ip netns pids} of its own namespaces, so a crashed run
 * leaves nothing that blocks the next one. Runs on the caller's thread; needs root.
 */
public final class Lab
{
    /** The lab's folder: generated configurations, logs, counters, journals, the backend's access log. */
    public static final Path DEFAULT_DIR = Path.of(System.getProperty("java.io.tmpdir"), "fo-lab");

    private static final long START_TIMEOUT_MS = 90_000;
    private static final List<String> POPS = List.of(NS_A, NS_B, NS_C);

    private final Path dir;
    private final boolean boundsChecks;
    private final LabTopology.Options options;

    /**
     * A lab with TUN ports and shared threads.
     *
     * @param dir          the lab's folder.
     * @param boundsChecks whether the gateways keep Agrona's bounds checks on (off for benchmarks).
     */
    public Lab(final Path dir, final boolean boundsChecks)
    {
        this(dir, boundsChecks, LabTopology.Options.DEFAULT);
    }

    /**
     * @param dir          the lab's folder.
     * @param boundsChecks whether the gateways keep Agrona's bounds checks on (off for benchmarks).
     * @param options      ports and threads of the gateways.
     */
    public Lab(final Path dir, final boolean boundsChecks, final LabTopology.Options options)
    {
        this.dir = dir;
        this.boundsChecks = boundsChecks;
        this.options = options;
    }

    /**
     * @return ports and threads of the gateways.
     */
    public LabTopology.Options options()
    {
        return options;
    }

    /**
     * @return the lab's folder.
     */
    public Path dir()
    {
        return dir;
    }

    /**
     * @return the backend's access log.
     */
    public Path accessLog()
    {
        return dir.resolve("backend-access.log");
    }

    /**
     * Refuse clearly unless the lab can run here.
     *
     * @throws LabException when not root or {@code ip} is missing.
     */
    public static void requireRootAndTools()
    {
        if (!Shell.isRoot())
        {
            throw new LabException("the lab needs root: it creates network namespaces, veth links and TUN devices "
                + "(run it with sudo)");
        }
        if (!Shell.installed("ip"))
        {
            throw new LabException("the lab needs 'ip' (iproute2), which is not installed");
        }
    }

    /**
     * @return whether every lab namespace exists and each POP and the backend has a running process.
     */
    public static boolean isUp()
    {
        final List<String> present = labNamespaces();
        if (!present.containsAll(NAMESPACES))
        {
            return false;
        }
        for (final String ns : List.of(NS_A, NS_B, NS_C, NS_BACKEND))
        {
            if (pids(ns).isEmpty())
            {
                return false;
            }
        }
        return true;
    }

    /**
     * Build the lab: clear leftovers, make namespaces and links, start gateways and backend,
     * configure the TUN devices (or, with AF_PACKET ports, turn the kernel's forwarding off on the
     * links the gateways serve), and wait until A and C see each other up.
     *
     * @param log progress lines.
     * @throws LabException on any failure, after removing whatever was made.
     */
    public void up(final PrintWriter log)
    {
        requireRootAndTools();
        clearLeftovers(log);
        try
        {
            prepareDir();
            buildNetwork();
            log.println("lab: namespaces and links up");
            log.flush();
            final LabTopology.Secrets secrets = LabTopology.Secrets.random(new SecureRandom());
            final Path configA = write("pop-a.yaml", LabTopology.popA(dir, secrets, options));
            final Path configB = write("pop-b.yaml", LabTopology.popB(dir, secrets, options));
            final Path configC = write("pop-c.yaml", LabTopology.popC(dir, secrets, options));
            startJava(NS_A, dir.resolve("pop-a.log"), "gateway", "--config", configA.toString());
            startJava(NS_B, dir.resolve("pop-b.log"), "gateway", "--config", configB.toString());
            startJava(NS_C, dir.resolve("pop-c.log"), "gateway", "--config", configC.toString());
            startJava(NS_BACKEND, dir.resolve("backend.log"), "lab", "backend",
                "--listen", BACKEND_IP, "--port", Integer.toString(BACKEND_HTTP_PORT),
                "--access-log", accessLog().toString());
            awaitLogLine(NS_A, dir.resolve("pop-a.log"), "running");
            awaitLogLine(NS_B, dir.resolve("pop-b.log"), "running");
            awaitLogLine(NS_C, dir.resolve("pop-c.log"), "running");
            awaitLogLine(NS_BACKEND, dir.resolve("backend.log"), "listening");
            if (options.afPacket())
            {
                edgeForwarding(false);
                senderSegmentation(false);
            }
            else
            {
                configureTuns();
            }
            log.println("lab: gateways A, B, C and the backend running; waiting for A and C to see each other up");
            log.flush();
            awaitPeerUp(NS_A, ADMIN_A, 3);
            awaitPeerUp(NS_C, ADMIN_C, 1);
            log.println("lab: up (folder " + dir + ")");
            log.flush();
        }
        catch (final RuntimeException ex)
        {
            log.println("lab: up failed: " + ex.getMessage() + "; removing what was made");
            log.flush();
            down(log);
            throw ex;
        }
    }

    /**
     * Remove every namespace, link and process of the lab (its own names only). Never throws for
     * something already gone.
     *
     * @param log progress lines.
     */
    public void down(final PrintWriter log)
    {
        final int removed = clearNamespacesAndLinks();
        deleteTree(dir.resolve("pop-a"));
        deleteTree(dir.resolve("pop-b"));
        deleteTree(dir.resolve("pop-c"));
        log.println("lab: down (" + removed + " namespaces removed)");
        log.flush();
    }

    /**
     * Remove what an earlier, interrupted lab left behind: processes in {@code fo-lab-*}
     * namespaces, the namespaces, and {@code fo-lab-*} links in this namespace.
     *
     * @param log progress lines.
     */
    public static void clearLeftovers(final PrintWriter log)
    {
        final int removed = clearNamespacesAndLinks();
        if (removed > 0)
        {
            log.println("lab: removed " + removed + " namespaces an earlier lab left behind");
            log.flush();
        }
    }

    private static int clearNamespacesAndLinks()
    {
        final List<String> namespaces = labNamespaces();
        final List<Long> all = new ArrayList<>();
        for (final String ns : namespaces)
        {
            all.addAll(pids(ns));
        }
        terminate(all);
        for (final String ns : namespaces)
        {
            Shell.tryRun(10_000, Shell.IP, "netns", "del", ns);
        }
        final Shell.Result links = Shell.tryRun(10_000, Shell.IP, "-o", "link", "show");
        for (final String line : links.output().split("\n"))
        {
            final String[] parts = line.split(":\\s+", 3);
            if (parts.length >= 2)
            {
                final String name = parts[1].split("@")[0].trim();
                if (name.startsWith(PREFIX))
                {
                    Shell.tryRun(10_000, Shell.IP, "link", "del", name);
                }
            }
        }
        return namespaces.size();
    }

    private static void terminate(final List<Long> pids)
    {
        signal(pids, "TERM");
        final long deadline = System.nanoTime() + 5_000_000_000L;
        while (System.nanoTime() - deadline < 0 && pids.stream().anyMatch(Lab::alive))
        {
            sleepMs(50);
        }
        signal(pids.stream().filter(Lab::alive).toList(), "KILL");
    }

    private static boolean alive(final long pid)
    {
        return ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false);
    }

    private static void signal(final List<Long> pids, final String name)
    {
        if (pids.isEmpty())
        {
            return;
        }
        final List<String> command = new ArrayList<>(List.of("kill", "-" + name));
        pids.forEach(p -> command.add(Long.toString(p)));
        Shell.tryRun(10_000, command.toArray(String[]::new));
    }

    /**
     * @return the lab's namespaces that exist now.
     */
    public static List<String> labNamespaces()
    {
        final Shell.Result result = Shell.tryRun(10_000, Shell.IP, "netns", "list");
        final List<String> names = new ArrayList<>();
        if (0 != result.exitCode())
        {
            return names;
        }
        for (final String line : result.output().split("\n"))
        {
            final String name = line.trim().split("\\s+")[0];
            if (name.startsWith(PREFIX))
            {
                names.add(name);
            }
        }
        return names;
    }

    /**
     * @param ns a namespace.
     * @return the processes in it.
     */
    public static List<Long> pids(final String ns)
    {
        final Shell.Result result = Shell.tryRun(10_000, Shell.IP, "netns", "pids", ns);
        final List<Long> pids = new ArrayList<>();
        if (0 != result.exitCode())
        {
            return pids;
        }
        for (final String line : result.output().split("\n"))
        {
            final String trimmed = line.trim();
            if (!trimmed.isEmpty() && trimmed.chars().allMatch(Character::isDigit))
            {
                pids.add(Long.parseLong(trimmed));
            }
        }
        return pids;
    }

    private void prepareDir()
    {
        deleteTree(dir);
        try
        {
            Files.createDirectories(dir);
        }
        catch (final IOException ex)
        {
            throw new LabException("cannot create " + dir + ": " + ex.getMessage(), ex);
        }
    }

    private static void deleteTree(final Path root)
    {
        if (!Files.exists(root))
        {
            return;
        }
        try (Stream<Path> paths = Files.walk(root))
        {
            for (final Path path : paths.sorted(Comparator.reverseOrder()).toList())
            {
                Files.deleteIfExists(path);
            }
        }
        catch (final IOException | UncheckedIOException ex)
        {
            throw new LabException("cannot remove " + root + ": " + ex.getMessage(), ex);
        }
    }

    private Path write(final String name, final String content)
    {
        final Path path = dir.resolve(name);
        try
        {
            Files.writeString(path, content);
        }
        catch (final IOException ex)
        {
            throw new LabException("cannot write " + path + ": " + ex.getMessage(), ex);
        }
        return path;
    }

    private static void buildNetwork()
    {
        for (final String ns : NAMESPACES)
        {
            Shell.ip("netns", "add", ns);
            Shell.ipIn(ns, "link", "set", "lo", "up");
        }
        veth(NS_CLIENT, LINK_CLIENT, CLIENT_IP + "/24", NS_A, LINK_A_CLIENT, A_CLIENT_IP + "/24");
        veth(NS_A, LINK_A_B, "10.77.12.1/24", NS_B, LINK_B_A, "10.77.12.2/24");
        veth(NS_A, LINK_A_C, "10.77.13.1/24", NS_C, LINK_C_A, "10.77.13.3/24");
        veth(NS_B, LINK_B_C, "10.77.23.2/24", NS_C, LINK_C_B, "10.77.23.3/24");
        veth(NS_C, LINK_C_BACKEND, C_BACKEND_IP + "/24", NS_BACKEND, LINK_BACKEND, BACKEND_IP + "/24");

        Shell.ipIn(NS_A, "addr", "add", UNDERLAY_A + "/32", "dev", "lo");
        Shell.ipIn(NS_B, "addr", "add", UNDERLAY_B + "/32", "dev", "lo");
        Shell.ipIn(NS_C, "addr", "add", UNDERLAY_C + "/32", "dev", "lo");
        Shell.ipIn(NS_A, "route", "add", UNDERLAY_B + "/32", "via", "10.77.12.2", "src", UNDERLAY_A);
        Shell.ipIn(NS_A, "route", "add", UNDERLAY_C + "/32", "via", "10.77.13.3", "src", UNDERLAY_A);
        Shell.ipIn(NS_B, "route", "add", UNDERLAY_A + "/32", "via", "10.77.12.1", "src", UNDERLAY_B);
        Shell.ipIn(NS_B, "route", "add", UNDERLAY_C + "/32", "via", "10.77.23.3", "src", UNDERLAY_B);
        Shell.ipIn(NS_C, "route", "add", UNDERLAY_A + "/32", "via", "10.77.13.1", "src", UNDERLAY_C);
        Shell.ipIn(NS_C, "route", "add", UNDERLAY_B + "/32", "via", "10.77.23.2", "src", UNDERLAY_C);

        // The client reaches the VIP (and, for the kernel baseline, the backend network) through A.
        Shell.ipIn(NS_CLIENT, "route", "add", "10.77.100.0/24", "via", A_CLIENT_IP);
        Shell.ipIn(NS_CLIENT, "route", "add", BACKEND_NET, "via", A_CLIENT_IP);
        // The backend's replies go through C.
        Shell.ipIn(NS_BACKEND, "route", "add", "default", "via", C_BACKEND_IP);

        for (final String ns : POPS)
        {
            sysctl(ns, "net.ipv4.ip_forward", "1");
            sysctl(ns, "net.ipv4.conf.all.rp_filter", "0");
            sysctl(ns, "net.ipv4.conf.default.rp_filter", "0");
        }
    }

    private static void veth(
        final String nsOne, final String one, final String addressOne,
        final String nsTwo, final String two, final String addressTwo)
    {
        Shell.ip("link", "add", one, "netns", nsOne, "type", "veth", "peer", "name", two, "netns", nsTwo);
        Shell.ipIn(nsOne, "addr", "add", addressOne, "dev", one);
        Shell.ipIn(nsTwo, "addr", "add", addressTwo, "dev", two);
        Shell.ipIn(nsOne, "link", "set", one, "up");
        Shell.ipIn(nsTwo, "link", "set", two, "up");
    }

    /**
     * Set a sysctl inside a namespace.
     *
     * @param ns    the namespace.
     * @param key   the key.
     * @param value the value.
     */
    public static void sysctl(final String ns, final String key, final String value)
    {
        Shell.run(Shell.inNamespace(ns, Shell.find("sysctl"), "-qw", key + "=" + value));
    }

    /**
     * Turn the kernel's IPv4 forwarding on A's client link and C's backend link on or off. With
     * AF_PACKET ports it must be off, so the kernel does not forward a second copy of what the
     * gateways take from those links; the kernel baseline of the bench turns it back on.
     *
     * @param on whether the kernel forwards packets arriving on those links.
     */
    static void edgeForwarding(final boolean on)
    {
        final String value = on ? "1" : "0";
        sysctl(NS_A, "net.ipv4.conf." + LINK_A_CLIENT + ".forwarding", value);
        sysctl(NS_C, "net.ipv4.conf." + LINK_C_BACKEND + ".forwarding", value);
    }

    /**
     * Let the client's and the backend's TCP stacks hand their veth links super-packets (TSO/GSO, up
     * to 64 KiB) or only single segments. An AF_PACKET port reads what the link carries, and a
     * super-packet from a local sender does not fit its ring frames; a real client's packets
     * arrive segmented. TUN ports never see them: the kernel segments before routing into the TUN.
     *
     * @param on whether the senders may pass super-packets.
     */
    static void senderSegmentation(final boolean on)
    {
        final String segments = on ? "65535" : "1";
        Shell.ipIn(NS_CLIENT, "link", "set", LINK_CLIENT, "gso_max_segs", segments);
        Shell.ipIn(NS_BACKEND, "link", "set", LINK_BACKEND, "gso_max_segs", segments);
    }

    /**
     * Stop the gateways of A and C (SIGTERM, then SIGKILL after 5 s); the namespaces and links stay.
     */
    static void stopEdgeGateways()
    {
        final List<Long> all = new ArrayList<>(pids(NS_A));
        all.addAll(pids(NS_C));
        terminate(all);
    }

    private static void configureTuns()
    {
        awaitDevice(NS_A, TUN_EDGE);
        awaitDevice(NS_C, TUN_ORIGIN);
        // a longer queue into each gateway (the kernel's default is 500 packets) absorbs the
        // moments a gateway thread waits for a core, which on a busy host are longer than 500
        // packets take to arrive
        Shell.ipIn(NS_A, "link", "set", TUN_EDGE, "txqueuelen", "4096", "up");
        Shell.ipIn(NS_C, "link", "set", TUN_ORIGIN, "txqueuelen", "4096", "up");
        for (final String ns : List.of(NS_A, NS_C))
        {
            final String tun = NS_A.equals(ns) ? TUN_EDGE : TUN_ORIGIN;
            sysctl(ns, "net.ipv4.conf." + tun + ".rp_filter", "0");
        }
        // A: packets for the VIP go into the edge TUN, to A's gateway.
        Shell.ipIn(NS_A, "route", "add", "10.77.100.0/24", "dev", TUN_EDGE);
        // C: the backend's replies to clients go into the origin TUN, to C's gateway; the
        // gateway's packets for the backend leave by the kernel's route to the backend network.
        Shell.ipIn(NS_C, "route", "add", CLIENT_NET, "dev", TUN_ORIGIN);
    }

    private static void awaitDevice(final String ns, final String device)
    {
        final long deadline = System.nanoTime() + 30_000_000_000L;
        while (System.nanoTime() - deadline < 0)
        {
            if (0 == Shell.tryRun(10_000, Shell.IP, "-n", ns, "link", "show", device).exitCode())
            {
                return;
            }
            sleepMs(100);
        }
        throw new LabException("device " + device + " did not appear in " + ns + " within 30 s");
    }

    private void startJava(final String ns, final Path logFile, final String... args)
    {
        final List<String> command = new ArrayList<>(List.of(Shell.IP, "netns", "exec", ns));
        command.addAll(javaCommand(boundsChecks));
        command.addAll(List.of(args));
        try
        {
            new ProcessBuilder(command)
                .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")))
                .redirectErrorStream(true)
                .redirectOutput(logFile.toFile())
                .start();
        }
        catch (final IOException ex)
        {
            throw new LabException("cannot start " + String.join(" ", command) + ": " + ex.getMessage(), ex);
        }
    }

    /**
     * The command that runs this build's CLI in a new JVM: this JVM's java binary, the JVM flags of
     * {@code jvm.properties} it runs with, its class path, a bounded heap.
     *
     * @param boundsChecks whether Agrona's bounds checks stay on.
     * @return the command up to and including the main class.
     */
    public static List<String> javaCommand(final boolean boundsChecks)
    {
        final List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        for (final String flag : ManagementFactory.getRuntimeMXBean().getInputArguments())
        {
            if (flag.startsWith("--add-") || flag.startsWith("--enable-native-access") || flag.startsWith("--sun-misc")
                || flag.startsWith("-Dchronicle."))
            {
                command.add(flag);
            }
        }
        command.addAll(List.of("-Xms64m", "-Xmx256m", "-XX:+UseSerialGC"));
        if (!boundsChecks)
        {
            command.add("-Dagrona.disable.bounds.checks=true");
        }
        command.addAll(List.of("-cp", System.getProperty("java.class.path"), "io.flyover.tools.FlyoverCli"));
        return command;
    }

    private static void awaitLogLine(final String ns, final Path logFile, final String needle)
    {
        final long deadline = System.nanoTime() + START_TIMEOUT_MS * 1_000_000L;
        while (System.nanoTime() - deadline < 0)
        {
            final String text = readQuietly(logFile);
            if (text.contains(needle))
            {
                return;
            }
            if (text.contains("Exception") || pids(ns).isEmpty())
            {
                sleepMs(200);
                throw new LabException("the process in " + ns + " failed to start; " + logFile + ":\n"
                    + tail(readQuietly(logFile)));
            }
            sleepMs(100);
        }
        throw new LabException("the process in " + ns + " did not report '" + needle + "' within "
            + START_TIMEOUT_MS / 1000 + " s; " + logFile + ":\n" + tail(readQuietly(logFile)));
    }

    private static String tail(final String text)
    {
        final String[] lines = text.split("\n");
        return String.join("\n", List.of(lines).subList(Math.max(0, lines.length - 20), lines.length));
    }

    private static String readQuietly(final Path file)
    {
        try
        {
            return Files.exists(file) ? Files.readString(file) : "";
        }
        catch (final IOException ex)
        {
            return "";
        }
    }

    private static void awaitPeerUp(final String ns, final int adminPort, final int peer)
    {
        final long deadline = System.nanoTime() + 30_000_000_000L;
        String last = "";
        try (NetworkNamespace thread = enter(ns))
        {
            while (System.nanoTime() - deadline < 0)
            {
                last = call(thread, () -> httpGet(adminPort, "/status"), 10_000);
                if (last.contains("{\"id\":" + peer + ",") && peerState(last, peer).equals("up"))
                {
                    return;
                }
                sleepMs(100);
            }
        }
        throw new LabException("POP in " + ns + " did not see POP " + peer + " up within 30 s; /status: " + last);
    }

    /**
     * @param status a gateway's /status document.
     * @param peer   a peer's POP id.
     * @return the peer's liveness state, or "" when absent.
     */
    static String peerState(final String status, final int peer)
    {
        final int at = status.indexOf("{\"id\":" + peer + ",\"name\"");
        if (at < 0)
        {
            return "";
        }
        final int state = status.indexOf("\"state\":\"", at);
        if (state < 0)
        {
            return "";
        }
        final int start = state + "\"state\":\"".length();
        return status.substring(start, status.indexOf('"', start));
    }

    /**
     * @param status a gateway's /status document with the optimizer on.
     * @param route  a probed route, e.g. {@code 1>2>3}.
     * @param field  a field of its entry in {@code routes}, e.g. {@code state}, {@code preferred}.
     * @return the field's value without quotes, or "" when the route or field is absent.
     */
    static String routeField(final String status, final String route, final String field)
    {
        final int at = status.indexOf("{\"to\":", status.indexOf("\"routes\":["));
        final int entry = at < 0 ? -1 : status.indexOf("\"route\":\"" + route + "\",\"state\":", at);
        if (entry < 0)
        {
            return "";
        }
        final int end = status.indexOf('}', entry);
        final String key = "\"" + field + "\":";
        final int value = status.indexOf(key, entry);
        if (value < 0 || value > end)
        {
            return "";
        }
        final int start = value + key.length();
        int stop = start;
        while (stop < end && ',' != status.charAt(stop))
        {
            stop++;
        }
        return status.substring(start, stop).replace("\"", "");
    }

    /**
     * @param status a gateway's /status document.
     * @param to     a destination POP.
     * @return the routes of its path table to that POP with their weights, e.g. {@code [1>2>3 w1]}.
     */
    static List<String> tableRoutes(final String status, final int to)
    {
        final List<String> routes = new ArrayList<>();
        final int paths = status.indexOf("\"paths\":[");
        final int end = paths < 0 ? -1 : status.indexOf(']', paths);
        final Matcher m = Pattern
            .compile("\\{\"to\":" + to + ",\"route\":\"([0-9>]+)\",\"weight\":([0-9]+)")
            .matcher(paths < 0 ? "" : status.substring(paths, end));
        while (m.find())
        {
            routes.add(m.group(1) + " w" + m.group(2));
        }
        return routes;
    }

    /**
     * A plain HTTP GET to 127.0.0.1 of the calling thread's namespace (call it on a
     * {@link NetworkNamespace}'s thread).
     *
     * @param port the port.
     * @param path the path.
     * @return the body ("" when the connection fails).
     */
    public static String httpGet(final int port, final String path)
    {
        try (Socket socket = new Socket())
        {
            socket.connect(new InetSocketAddress("127.0.0.1", port), 2000);
            socket.setSoTimeout(5000);
            final OutputStream out = socket.getOutputStream();
            out.write(("GET " + path + " HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n")
                .getBytes(StandardCharsets.US_ASCII));
            out.flush();
            final InputStream in = socket.getInputStream();
            final String response = new String(in.readAllBytes(), StandardCharsets.UTF_8);
            final int body = response.indexOf("\r\n\r\n");
            return body < 0 ? "" : response.substring(body + 4);
        }
        catch (final IOException ex)
        {
            return "";
        }
    }

    /**
     * A thread inside one of the lab's namespaces (closing it leaves the namespace).
     *
     * @param ns the namespace's name.
     * @return its thread.
     * @throws LabException when it cannot be entered.
     */
    static NetworkNamespace enter(final String ns)
    {
        try
        {
            return NetworkNamespace.attach(ns);
        }
        catch (final RuntimeException ex)
        {
            throw new LabException("cannot enter namespace " + ns + ": " + ex.getMessage(), ex);
        }
    }

    /**
     * Run a task on a namespace's thread and wait for it.
     *
     * @param ns        the namespace's thread.
     * @param task      the task.
     * @param timeoutMs how long to wait.
     * @param <T>       its result type.
     * @return its result.
     * @throws LabException when it fails or runs over time.
     */
    static <T> T call(final NetworkNamespace ns, final Callable<T> task, final long timeoutMs)
    {
        return await(ns.submit(task), timeoutMs, ns.name());
    }

    /**
     * Wait for a task's result.
     *
     * @param future    the task.
     * @param timeoutMs how long to wait.
     * @param what      what it does, for the error.
     * @param <T>       its result type.
     * @return its result.
     * @throws LabException when it failed or ran over time (it is then cancelled).
     */
    static <T> T await(final Future<T> future, final long timeoutMs, final String what)
    {
        try
        {
            return future.get(timeoutMs, TimeUnit.MILLISECONDS);
        }
        catch (final ExecutionException ex)
        {
            final Throwable cause = ex.getCause();
            if (cause instanceof LabException lab)
            {
                throw lab;
            }
            throw new LabException(what + ": " + cause, cause);
        }
        catch (final TimeoutException ex)
        {
            future.cancel(true);
            throw new LabException(what + ": no result within " + timeoutMs + " ms", ex);
        }
        catch (final InterruptedException ex)
        {
            future.cancel(true);
            Thread.currentThread().interrupt();
            throw new LabException(what + ": interrupted", ex);
        }
    }

    static void sleepMs(final long ms)
    {
        try
        {
            Thread.sleep(ms);
        }
        catch (final InterruptedException ex)
        {
            Thread.currentThread().interrupt();
            throw new LabException("interrupted", ex);
        }
    }
}
