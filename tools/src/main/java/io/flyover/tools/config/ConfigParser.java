package io.flyover.tools.config;

import java.net.Inet4Address;
import java.net.InetSocketAddress;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import io.flyover.dataplane.engine.ThreadingMode;
import org.snakeyaml.engine.v2.nodes.Node;

import static io.flyover.tools.config.ErrorSink.Where;

/**
 * Turns a composed YAML document into a {@link GatewayConfig}, reporting every problem to an
 * {@link ErrorSink}: field types and ranges while reading, then the checks across fields (unique
 * ids, references to peers and keys, overlapping listeners). Single use, on the loading thread.
 */
final class ConfigParser
{
    static final Set<String> ROOT_KEYS = Set.of(
        "pop", "ports", "peers", "keys", "services", "routes", "liveness", "optimizer", "threads", "flow-table", "admin",
        "counters-dir", "journal-dir", "flow-hash-key");
    static final String DEFAULT_COUNTERS_DIR = "/var/lib/flyover/counters";
    static final String DEFAULT_JOURNAL_DIR = "/var/lib/flyover/journal";
    static final int DEFAULT_GENEVE_PORT = 6081;

    private static final Set<String> POP_KEYS = Set.of("id", "name");
    private static final Set<String> PEER_KEYS = Set.of("id", "name", "address", "port");
    private static final Set<String> KEYS_KEYS = Set.of("send", "active");
    private static final Set<String> KEY_KEYS = Set.of("id", "secret");
    private static final Set<String> LIVENESS_KEYS = Set.of("interval", "multiplier");
    private static final Set<String> OPTIMIZER_KEYS = Set.of("enabled", "probe-interval", "detect-multiplier",
        "up-after", "candidates", "exploration-percent", "hold", "loss-penalty", "warm-up", "journal",
        "journal-retention");
    private static final Set<String> THREADS_KEYS = Set.of("mode", "workers", "idle");
    private static final Set<String> FLOW_TABLE_KEYS = Set.of("capacity", "timeouts");
    private static final Set<String> TIMEOUT_KEYS = Set.of(
        "tcp-embryonic", "tcp-established", "tcp-closing", "udp", "icmp");
    private static final Set<String> ADMIN_KEYS = Set.of("listen");

    private final ErrorSink errors;
    private final Path baseDir;
    private final Map<Integer, Where> peerIds = new HashMap<>();
    private int popId;

    ConfigParser(final ErrorSink errors, final Path baseDir)
    {
        this.errors = errors;
        this.baseDir = baseDir;
    }

    /**
     * Reads the document.
     *
     * @return the configuration, or {@code null} when the root is not a mapping; check the sink for
     * errors either way.
     */
    GatewayConfig parse(final Node root)
    {
        final YamlMap map = YamlMap.of(root, "", errors, ROOT_KEYS);
        if (null == map)
        {
            return null;
        }
        final PopConfig pop = pop(map);
        popId = pop.id();
        final PortsConfig ports = PortsSection.read(map);
        final List<PeerConfig> peers = peers(map, ports);
        final KeysConfig keys = keys(map);
        final List<ServiceConfig> services = ServicesSection.read(map, ports, popId, peerIds.keySet());
        final List<RouteConfig> routes = RoutesSection.read(map, popId, peerIds.keySet());
        final LivenessConfig liveness = liveness(map);
        final OptimizerConfig optimizer = optimizer(map);
        final ThreadsConfig threads = threads(map);
        final FlowTableConfig flowTable = flowTable(map);
        final AdminConfig admin = admin(map);
        final Path countersDir = directory(map, "counters-dir", DEFAULT_COUNTERS_DIR);
        final Path journalDir = directory(map, "journal-dir", DEFAULT_JOURNAL_DIR);
        final long flowHashKey = map.parse("flow-hash-key", Values::flowHashKey, GatewayConfig.DEFAULT_FLOW_HASH_KEY, false);
        return new GatewayConfig(
            pop, ports, peers, keys, services, routes, liveness, optimizer, threads, flowTable, admin, countersDir, journalDir,
            flowHashKey);
    }

    private PopConfig pop(final YamlMap root)
    {
        final YamlMap map = root.map("pop", POP_KEYS, true);
        if (null == map)
        {
            return new PopConfig(0, "");
        }
        final int id = map.integer("id", 1, 65535, 0, true);
        final String name = map.parse("name", Values::name, "", true);
        return new PopConfig(id, name);
    }

    private List<PeerConfig> peers(final YamlMap root, final PortsConfig ports)
    {
        final List<Node> items = root.list("peers", false);
        final List<PeerConfig> peers = new ArrayList<>(items.size());
        final Map<String, Where> names = new HashMap<>();
        final Map<String, Where> endpoints = new HashMap<>();
        for (int i = 0; i < items.size(); i++)
        {
            final YamlMap map = YamlMap.of(items.get(i), root.path("peers") + "[" + i + "]", errors, PEER_KEYS);
            if (null == map)
            {
                continue;
            }
            final int id = map.integer("id", 1, 65535, 0, true);
            final String name = map.parse("name", Values::name, "", true);
            final Inet4Address address = map.parse("address", Values::ipv4, null, true);
            final int port = map.integer("port", 1, 65535, DEFAULT_GENEVE_PORT, false);
            if (id != 0)
            {
                if (id == popId)
                {
                    map.error("id", "is this POP's own id " + id + "; a POP is not its own peer");
                }
                else
                {
                    errors.unique(peerIds, id, map.where("id"), "peer id " + id);
                }
            }
            if (!name.isEmpty())
            {
                errors.unique(names, name, map.where("name"), "peer name '" + name + "'");
            }
            if (null != address)
            {
                if (address.isAnyLocalAddress() || address.isMulticastAddress() ||
                    "255.255.255.255".equals(address.getHostAddress()))
                {
                    map.error("address", "must be a unicast address, got " + address.getHostAddress());
                }
                errors.unique(endpoints, address.getHostAddress() + ":" + port, map.where("address"),
                    "peer endpoint " + address.getHostAddress() + ":" + port);
                if (ports.backbone() instanceof final UdpPort udp && address.equals(udp.bind()) &&
                    port == udp.listenPort())
                {
                    map.error("address", "is this POP's own backbone endpoint " + address.getHostAddress() + ":" + port);
                }
            }
            peers.add(new PeerConfig(id, name, address, port));
        }
        return peers;
    }

    private KeysConfig keys(final YamlMap root)
    {
        final YamlMap map = root.map("keys", KEYS_KEYS, true);
        if (null == map)
        {
            return new KeysConfig(0, List.of());
        }
        final List<Node> items = map.list("active", true);
        final List<BackboneKey> keys = new ArrayList<>(items.size());
        final Map<Integer, Where> ids = new HashMap<>();
        boolean anyBadId = false;
        for (int i = 0; i < items.size(); i++)
        {
            final YamlMap key = YamlMap.of(items.get(i), map.path("active") + "[" + i + "]", errors, KEY_KEYS);
            if (null == key)
            {
                continue;
            }
            final int id = key.integer("id", 0, 255, -1, true);
            final long[] words = key.parse("secret", Values::sipHashKey, null, true);
            if (id >= 0)
            {
                errors.unique(ids, id, key.where("id"), "key id " + id);
            }
            else
            {
                anyBadId = true;
            }
            if (null != words)
            {
                keys.add(new BackboneKey(id, words[0], words[1]));
            }
        }
        if (map.has("active") && items.isEmpty())
        {
            map.error("active", "must hold at least one key");
        }
        final int send = map.integer("send", 0, 255, -1, true);
        if (send >= 0 && !anyBadId && !ids.containsKey(send))
        {
            map.error("send", "names key id " + send + ", which is not in keys.active");
        }
        return new KeysConfig(send, keys);
    }

    private static LivenessConfig liveness(final YamlMap root)
    {
        final YamlMap map = root.map("liveness", LIVENESS_KEYS, false);
        if (null == map)
        {
            return LivenessConfig.DEFAULT;
        }
        final Duration interval = duration(map, "interval", LivenessConfig.DEFAULT.interval(),
            Duration.ofMillis(10), Duration.ofSeconds(10));
        final int multiplier = map.integer("multiplier", 1, 255, LivenessConfig.DEFAULT.multiplier(), false);
        return new LivenessConfig(interval, multiplier);
    }

    private static OptimizerConfig optimizer(final YamlMap root)
    {
        final YamlMap map = root.map("optimizer", OPTIMIZER_KEYS, false);
        final OptimizerConfig d = OptimizerConfig.DEFAULT;
        if (null == map)
        {
            return d;
        }
        return new OptimizerConfig(
            map.parse("enabled", Values::bool, d.enabled(), false),
            duration(map, "probe-interval", d.probeInterval(), Duration.ofMillis(10), Duration.ofSeconds(10)),
            map.integer("detect-multiplier", 1, 255, d.detectMultiplier(), false),
            map.integer("up-after", 1, 255, d.upAfter(), false),
            map.integer("candidates", 1, 8, d.candidates(), false),
            map.integer("exploration-percent", 0, 50, d.explorationPercent(), false),
            duration(map, "hold", d.hold(), Duration.ZERO, Duration.ofMinutes(10)),
            duration(map, "loss-penalty", d.lossPenalty(), Duration.ZERO, Duration.ofHours(1)),
            duration(map, "warm-up", d.warmUp(), Duration.ZERO, Duration.ofHours(1)),
            map.parse("journal", Values::bool, d.journal(), false),
            duration(map, "journal-retention", d.journalRetention(), OptimizerConfig.MIN_JOURNAL_RETENTION,
                OptimizerConfig.MAX_JOURNAL_RETENTION));
    }

    private static ThreadsConfig threads(final YamlMap root)
    {
        final YamlMap map = root.map("threads", THREADS_KEYS, false);
        if (null == map)
        {
            return ThreadsConfig.DEFAULT;
        }
        return new ThreadsConfig(
            map.keyword("mode", ThreadingMode.class, ThreadsConfig.DEFAULT.mode(), false),
            map.integer("workers", 1, 256, ThreadsConfig.DEFAULT.workers(), false),
            map.keyword("idle", IdleMode.class, ThreadsConfig.DEFAULT.idle(), false));
    }

    private static FlowTableConfig flowTable(final YamlMap root)
    {
        final YamlMap map = root.map("flow-table", FLOW_TABLE_KEYS, false);
        if (null == map)
        {
            return FlowTableConfig.DEFAULT;
        }
        final long capacity = map.parse("capacity", Values::size, (long)FlowTableConfig.DEFAULT_CAPACITY, false);
        int checked = FlowTableConfig.DEFAULT_CAPACITY;
        if (capacity < 1024 || capacity > (1L << 28) || Long.bitCount(capacity) != 1)
        {
            map.error("capacity", "must be a power of two 1K..256M (entries per shard), got " + capacity);
        }
        else
        {
            checked = (int)capacity;
        }
        final YamlMap timeouts = map.map("timeouts", TIMEOUT_KEYS, false);
        final FlowTimeouts d = FlowTimeouts.DEFAULT;
        if (null == timeouts)
        {
            return new FlowTableConfig(checked, d);
        }
        final Duration min = Duration.ofSeconds(1);
        final Duration max = Duration.ofDays(1);
        return new FlowTableConfig(checked, new FlowTimeouts(
            duration(timeouts, "tcp-embryonic", d.tcpEmbryonic(), min, max),
            duration(timeouts, "tcp-established", d.tcpEstablished(), min, max),
            duration(timeouts, "tcp-closing", d.tcpClosing(), min, max),
            duration(timeouts, "udp", d.udp(), min, max),
            duration(timeouts, "icmp", d.icmp(), min, max)));
    }

    private static Duration duration(
        final YamlMap map, final String key, final Duration fallback, final Duration min, final Duration max)
    {
        final Duration value = map.parse(key, Values::duration, fallback, false);
        if (value.compareTo(min) < 0 || value.compareTo(max) > 0)
        {
            map.error(key, "must be " + format(min) + ".." + format(max) + ", got " + format(value));
            return fallback;
        }
        return value;
    }

    static String format(final Duration duration)
    {
        final long ms = duration.toMillis();
        if (ms % 3_600_000 == 0 && ms > 0)
        {
            return ms / 3_600_000 + "h";
        }
        if (ms % 60_000 == 0 && ms > 0)
        {
            return ms / 60_000 + "m";
        }
        if (ms % 1000 == 0 && ms > 0)
        {
            return ms / 1000 + "s";
        }
        return ms + "ms";
    }

    private static AdminConfig admin(final YamlMap root)
    {
        final InetSocketAddress fallback =
            new InetSocketAddress(Values.ipv4("127.0.0.1"), AdminConfig.DEFAULT_PORT);
        final YamlMap map = root.map("admin", ADMIN_KEYS, false);
        if (null == map)
        {
            return new AdminConfig(fallback);
        }
        return new AdminConfig(map.parse("listen", Values::socketAddress, fallback, false));
    }

    private Path directory(final YamlMap root, final String key, final String fallback)
    {
        final String text = root.string(key, fallback, false);
        try
        {
            if (text.indexOf('\0') >= 0)
            {
                throw new InvalidPathException(text, "contains NUL");
            }
            return baseDir.resolve(text).toAbsolutePath().normalize();
        }
        catch (final InvalidPathException ex)
        {
            root.error(key, "must be a directory path, got " + Values.quote(text));
            return baseDir;
        }
    }
}
