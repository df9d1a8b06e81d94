package io.flyover.tools.lab;

import java.nio.file.Path;
import java.util.HexFormat;
import java.util.List;
import java.util.random.RandomGenerator;

/**
 * The lab's names and addresses, and the gateway configurations it generates. Everything the lab
 * creates is named with {@link #PREFIX}, so clearing leftovers never touches anything else.
 *
 * <pre>
 *                         10.77.12.0/24            10.77.23.0/24
 *                    ┌──── a-b ── [B relay] ── b-c ────┐
 *  [client] ── cl ── [A ingress]                        [C egress] ── c-be ── [backend]
 *  10.77.10.2  10.77.10.0/24 └──── a-c ── 10.77.13.0/24 ───┘  10.77.30.0/24   10.77.30.2
 *
 *  underlay (on lo): A 10.77.0.1, B 10.77.0.2, C 10.77.0.3; VIP 10.77.100.10
 * </pre>
 */
public final class LabTopology
{
    /** Every namespace and link the lab makes starts with this. */
    public static final String PREFIX = "fo-lab-";

    /** The client's namespace. */
    public static final String NS_CLIENT = PREFIX + "client";
    /** POP A (ingress). */
    public static final String NS_A = PREFIX + "a";
    /** POP B (relay). */
    public static final String NS_B = PREFIX + "b";
    /** POP C (egress, the region). */
    public static final String NS_C = PREFIX + "c";
    /** The backend's namespace. */
    public static final String NS_BACKEND = PREFIX + "backend";
    /** Every namespace, in creation order. */
    public static final List<String> NAMESPACES = List.of(NS_CLIENT, NS_A, NS_B, NS_C, NS_BACKEND);

    /** Client side of the client–A link. */
    public static final String LINK_CLIENT = PREFIX + "cl";
    /** A side of the client–A link. */
    public static final String LINK_A_CLIENT = PREFIX + "a-cl";
    /** A side of the A–B link. */
    public static final String LINK_A_B = PREFIX + "a-b";
    /** B side of the A–B link. */
    public static final String LINK_B_A = PREFIX + "b-a";
    /** A side of the A–C link. */
    public static final String LINK_A_C = PREFIX + "a-c";
    /** C side of the A–C link. */
    public static final String LINK_C_A = PREFIX + "c-a";
    /** B side of the B–C link. */
    public static final String LINK_B_C = PREFIX + "b-c";
    /** C side of the B–C link. */
    public static final String LINK_C_B = PREFIX + "c-b";
    /** C side of the C–backend link. */
    public static final String LINK_C_BACKEND = PREFIX + "c-be";
    /** Backend side of the C–backend link. */
    public static final String LINK_BACKEND = PREFIX + "be";

    /** A's edge TUN (made by A's gateway). */
    public static final String TUN_EDGE = "fly-edge";
    /** C's origin TUN (made by C's gateway). */
    public static final String TUN_ORIGIN = "fly-origin";

    /** The client's address. */
    public static final String CLIENT_IP = "10.77.10.2";
    /** A's address toward the client. */
    public static final String A_CLIENT_IP = "10.77.10.1";
    /** The client network. */
    public static final String CLIENT_NET = "10.77.10.0/24";
    /** The service's anycast address. */
    public static final String VIP = "10.77.100.10";
    /** The backend's address. */
    public static final String BACKEND_IP = "10.77.30.2";
    /** C's address toward the backend. */
    public static final String C_BACKEND_IP = "10.77.30.1";
    /** The backend network. */
    public static final String BACKEND_NET = "10.77.30.0/24";
    /** Underlay (backbone) address of POP A. */
    public static final String UNDERLAY_A = "10.77.0.1";
    /** Underlay address of POP B. */
    public static final String UNDERLAY_B = "10.77.0.2";
    /** Underlay address of POP C. */
    public static final String UNDERLAY_C = "10.77.0.3";

    /** HTTP on the VIP. */
    public static final int HTTP_PORT = 80;
    /** Where the backend's HTTP server listens. */
    public static final int BACKEND_HTTP_PORT = 8080;
    /** The bench's UDP service port (VIP and backend). */
    public static final int BENCH_UDP_PORT = 9000;
    /** The bench's TCP (iperf3) service port (VIP and backend). */
    public static final int BENCH_TCP_PORT = 5201;

    /** Admin API port of POP A (on A's own 127.0.0.1). */
    public static final int ADMIN_A = 9811;
    /** Admin API port of POP B. */
    public static final int ADMIN_B = 9812;
    /** Admin API port of POP C. */
    public static final int ADMIN_C = 9813;

    private LabTopology()
    {
    }

    /**
     * The secrets one lab run shares between its POPs.
     *
     * @param flowHashKey 16 hex digits.
     * @param backboneKey 32 hex digits.
     */
    public record Secrets(String flowHashKey, String backboneKey)
    {
        /**
         * @param random where the secrets come from.
         * @return fresh secrets.
         */
        public static Secrets random(final RandomGenerator random)
        {
            final byte[] flow = new byte[8];
            final byte[] key = new byte[16];
            for (int i = 0; i < flow.length; i++)
            {
                flow[i] = (byte)random.nextInt();
            }
            for (int i = 0; i < key.length; i++)
            {
                key[i] = (byte)random.nextInt();
            }
            return new Secrets(HexFormat.of().formatHex(flow), HexFormat.of().formatHex(key));
        }
    }

    /**
     * How the lab runs its gateways.
     *
     * @param afPacket         edge (A) and origin (C) on AF_PACKET over the veth links instead of TUN
     *                         devices; the backbone stays UDP.
     * @param dedicatedThreads A and C run a thread per agent ({@code threads.mode: dedicated}); B
     *                         stays shared.
     * @param optimizer        every POP runs the path optimizer, which probes every path and
     *                         publishes what it learns (A and C configure no routes); otherwise
     *                         liveness keepalives and configured routes with B as a standby.
     */
    public record Options(boolean afPacket, boolean dedicatedThreads, boolean optimizer)
    {
        /** TUN ports, shared threads, the optimizer: what {@code lab up} and {@code lab test} run. */
        public static final Options DEFAULT = new Options(false, false, true);

        /**
         * @return a short description, e.g. {@code tun ports, shared threads, optimizer}.
         */
        public String describe()
        {
            return (afPacket ? "afpacket" : "tun") + " ports, " + (dedicatedThreads ? "dedicated" : "shared")
                + " threads, " + (optimizer ? "optimizer" : "liveness only");
        }
    }

    /**
     * @param dir     the lab's folder (counters and journals go under it).
     * @param secrets the run's keys.
     * @param options ports, threads, optimizer.
     * @return POP A's configuration: edge TUN (or AF_PACKET on its client link), UDP backbone; the
     *         optimizer, or a route to C direct with B as standby.
     */
    public static String popA(final Path dir, final Secrets secrets, final Options options)
    {
        return header(1, "pop-a", secrets)
            + "ports:\n"
            + (options.afPacket()
                ? "  edge:\n    type: afpacket\n    interface: " + LINK_A_CLIENT + "\n    mtu: 1500\n"
                : "  edge:\n    type: tun\n    device: " + TUN_EDGE + "\n    mtu: 1500\n")
            + backbone(UNDERLAY_A)
            + peers(2, UNDERLAY_B, 3, UNDERLAY_C)
            + keys(secrets)
            + services(false)
            + routes(3, options)
            + common(ADMIN_A, dir.resolve("pop-a"), "64K", options.dedicatedThreads(), options.optimizer());
    }

    /**
     * @param dir     the lab's folder.
     * @param secrets the run's keys.
     * @param options the optimizer or liveness.
     * @return POP B's configuration: a relay with only a backbone.
     */
    public static String popB(final Path dir, final Secrets secrets, final Options options)
    {
        return header(2, "pop-b", secrets)
            + "ports:\n"
            + backbone(UNDERLAY_B)
            + peers(1, UNDERLAY_A, 3, UNDERLAY_C)
            + keys(secrets)
            + common(ADMIN_B, dir.resolve("pop-b"), "1K", false, options.optimizer());
    }

    /**
     * @param dir     the lab's folder.
     * @param secrets the run's keys.
     * @param options ports, threads, optimizer.
     * @return POP C's configuration: origin TUN (or AF_PACKET on its backend link), the backend pool;
     *         the optimizer, or a route to A direct with B as standby.
     */
    public static String popC(final Path dir, final Secrets secrets, final Options options)
    {
        return header(3, "pop-c", secrets)
            + "ports:\n"
            + backbone(UNDERLAY_C)
            + (options.afPacket()
                ? "  origin:\n    type: afpacket\n    interface: " + LINK_C_BACKEND + "\n    mtu: 1500\n"
                : "  origin:\n    type: tun\n    device: " + TUN_ORIGIN + "\n    mtu: 1500\n")
            + peers(1, UNDERLAY_A, 2, UNDERLAY_B)
            + keys(secrets)
            + services(true)
            + routes(1, options)
            + common(ADMIN_C, dir.resolve("pop-c"), "64K", options.dedicatedThreads(), options.optimizer());
    }

    private static String header(final int id, final String name, final Secrets secrets)
    {
        return "# Generated by flyover lab up; removed by flyover lab down.\n"
            + "pop:\n  id: " + id + "\n  name: " + name + "\n"
            + "flow-hash-key: " + secrets.flowHashKey() + "\n";
    }

    private static String backbone(final String underlay)
    {
        return "  backbone:\n    type: udp\n    bind: " + underlay + "\n    listen-port: 6081\n    ports: 6081-6084\n"
            + "    mtu: 1500\n";
    }

    private static String peers(final int idOne, final String addressOne, final int idTwo, final String addressTwo)
    {
        return "peers:\n"
            + "  - id: " + idOne + "\n    name: pop-" + (char)('a' + idOne - 1) + "\n    address: " + addressOne + "\n"
            + "  - id: " + idTwo + "\n    name: pop-" + (char)('a' + idTwo - 1) + "\n    address: " + addressTwo + "\n";
    }

    private static String keys(final Secrets secrets)
    {
        return "keys:\n  send: 1\n  active:\n    - id: 1\n      secret: " + secrets.backboneKey() + "\n";
    }

    private static String services(final boolean egress)
    {
        final String[][] services = {
            { "100", "web", "tcp", Integer.toString(HTTP_PORT), Integer.toString(BACKEND_HTTP_PORT) },
            { "101", "ping", "icmp", null, null },
            { "102", "bench-udp", "udp", Integer.toString(BENCH_UDP_PORT), Integer.toString(BENCH_UDP_PORT) },
            { "103", "bench-tcp", "tcp", Integer.toString(BENCH_TCP_PORT), Integer.toString(BENCH_TCP_PORT) },
        };
        final StringBuilder sb = new StringBuilder("services:\n");
        for (final String[] s : services)
        {
            sb.append("  - id: ").append(s[0]).append("\n    name: ").append(s[1])
                .append("\n    vip: ").append(VIP).append("\n    protocol: ").append(s[2]).append('\n');
            if (null != s[3])
            {
                sb.append("    ports: ").append(s[3]).append('\n');
            }
            sb.append("    egress: 3\n");
            if (egress)
            {
                sb.append("    backends:\n      - address: ").append(BACKEND_IP).append('\n');
                if (null != s[4])
                {
                    sb.append("        port: ").append(s[4]).append('\n');
                }
            }
        }
        return sb.toString();
    }

    /**
     * With the optimizer, no routes: the peer is reached directly until probes teach the POP more,
     * so a move to the relay can only come from what it learned. Without it, direct with B as the
     * standby that liveness falls back to.
     */
    private static String routes(final int to, final Options options)
    {
        return options.optimizer() ? "" : "routes:\n  - to: " + to + "\n    paths:\n      - via: direct\n        weight: 1\n"
            + "      - via: [2]\n        weight: 0\n";
    }

    private static String common(
        final int adminPort, final Path popDir, final String capacity, final boolean dedicated, final boolean optimizer)
    {
        // no exploration: every new flow takes the preferred route, so the checks know which link carries it
        return (optimizer
            ? "optimizer:\n  enabled: true\n  probe-interval: 100ms\n  detect-multiplier: 3\n  exploration-percent: 0\n"
            : "liveness:\n  interval: 100ms\n  multiplier: 3\n")
            + "threads:\n  mode: " + (dedicated ? "dedicated" : "shared") + "\n  workers: 1\n  idle: backoff\n"
            + "flow-table:\n  capacity: " + capacity + "\n"
            + "admin:\n  listen: 127.0.0.1:" + adminPort + "\n"
            + "counters-dir: " + popDir.resolve("counters") + "\n"
            + "journal-dir: " + popDir.resolve("journal") + "\n";
    }
}
