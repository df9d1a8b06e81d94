package io.flyover.tools.config;

import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import io.flyover.dataplane.engine.ThreadingMode;
import org.snakeyaml.engine.v2.nodes.Node;
import org.snakeyaml.engine.v2.nodes.ScalarNode;
import org.snakeyaml.engine.v2.nodes.SequenceNode;

import static io.flyover.tools.config.ErrorSink.Where;

/**
 * Turns a composed YAML document into a {@link GatewayConfig}, reporting every problem to an
 * {@link ErrorSink}: field types and ranges while reading, then the checks across fields (unique
 * ids, references to peers and keys, overlapping listeners). Single use, on the loading thread.
 */
final class ConfigParser
{
    static final Set<String> ROOT_KEYS = Set.of(
        "pop", "ports", "peers", "keys", "services", "routes", "liveness", "threads", "flow-table", "admin",
        "counters-dir", "journal-dir");
    static final String DEFAULT_COUNTERS_DIR = "/var/lib/flyover/counters";
    static final String DEFAULT_JOURNAL_DIR = "/var/lib/flyover/journal";
    static final int DEFAULT_GENEVE_PORT = 6081;
    static final int MIN_MTU = 1280;
    static final int MAX_MTU = 65535;
    static final int DEFAULT_MTU = 1500;
    static final int MAX_POOL_SOCKETS = 1024;

    private static final Set<String> POP_KEYS = Set.of("id", "name");
    private static final Set<String> PORTS_KEYS = Set.of("edge", "backbone", "origin");
    private static final Set<String> TUN_KEYS = Set.of("type", "device", "queues", "mtu");
    private static final Set<String> AFPACKET_KEYS = Set.of("type", "interface", "mtu");
    private static final Set<String> AFPACKET_BACKBONE_KEYS = Set.of("type", "interface", "address", "listen-port", "mtu");
    private static final Set<String> UDP_KEYS = Set.of("type", "bind", "listen-port", "ports", "mtu");
    private static final Set<String> ANY_PORT_KEYS = Set.of(
        "type", "device", "queues", "interface", "address", "bind", "listen-port", "ports", "mtu");
    private static final Set<String> PEER_KEYS = Set.of("id", "name", "address", "port");
    private static final Set<String> KEYS_KEYS = Set.of("send", "active");
    private static final Set<String> KEY_KEYS = Set.of("id", "secret");
    private static final Set<String> SERVICE_KEYS = Set.of(
        "id", "name", "vip", "protocol", "ports", "egress", "bandwidth", "backends");
    private static final Set<String> BACKEND_KEYS = Set.of("address", "port", "weight");
    private static final Set<String> ROUTE_KEYS = Set.of("to", "paths");
    private static final Set<String> PATH_KEYS = Set.of("via", "weight");
    private static final Set<String> LIVENESS_KEYS = Set.of("interval", "multiplier");
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
        final PortsConfig ports = ports(map);
        final List<PeerConfig> peers = peers(map, ports);
        final KeysConfig keys = keys(map);
        final List<ServiceConfig> services = services(map, ports);
        final List<RouteConfig> routes = routes(map);
        final LivenessConfig liveness = liveness(map);
        final ThreadsConfig threads = threads(map);
        final FlowTableConfig flowTable = flowTable(map);
        final AdminConfig admin = admin(map);
        final Path countersDir = directory(map, "counters-dir", DEFAULT_COUNTERS_DIR);
        final Path journalDir = directory(map, "journal-dir", DEFAULT_JOURNAL_DIR);
        return new GatewayConfig(
            pop, ports, peers, keys, services, routes, liveness, threads, flowTable, admin, countersDir, journalDir);
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

    private PortsConfig ports(final YamlMap root)
    {
        final YamlMap map = root.map("ports", PORTS_KEYS, true);
        if (null == map)
        {
            return new PortsConfig(null, null, null);
        }
        final PortConfig edge = port(map, "edge", false, false);
        final PortConfig backbone = port(map, "backbone", true, true);
        final PortConfig origin = port(map, "origin", false, false);
        return new PortsConfig(edge, backbone, origin);
    }

    private PortConfig port(final YamlMap ports, final String side, final boolean backbone, final boolean required)
    {
        final YamlMap probe = ports.map(side, ANY_PORT_KEYS, required);
        if (null == probe)
        {
            return null;
        }
        final String type = probe.string("type", null, true);
        if (null == type)
        {
            return null;
        }
        final Set<String> allowedTypes = backbone ? Set.of("udp", "afpacket") : Set.of("tun", "afpacket");
        if (!allowedTypes.contains(type))
        {
            probe.error("type", "must be " + (backbone ? "udp or afpacket" : "tun or afpacket") + ", got " +
                Values.quote(type));
            return null;
        }
        final Set<String> keys = switch (type)
        {
            case "tun" -> TUN_KEYS;
            case "udp" -> UDP_KEYS;
            default -> backbone ? AFPACKET_BACKBONE_KEYS : AFPACKET_KEYS;
        };
        for (final String key : ANY_PORT_KEYS)
        {
            if (probe.has(key) && !keys.contains(key))
            {
                errors.add(probe.where(key).line(), probe.where(key).column(), probe.path(key),
                    "not a field of type " + type + "; allowed: " + String.join(", ", keys.stream().sorted().toList()));
            }
        }
        final int mtu = probe.integer("mtu", MIN_MTU, MAX_MTU, DEFAULT_MTU, false);
        return switch (type)
        {
            case "tun" -> new TunPort(
                probe.parse("device", Values::deviceName, "", true), probe.integer("queues", 1, 256, 1, false), mtu);
            case "udp" -> udpPort(probe, mtu);
            default -> backbone ?
                new AfPacketPort(
                    probe.parse("interface", Values::deviceName, "", true),
                    probe.parse("address", Values::ipv4, null, true),
                    probe.integer("listen-port", 1, 65535, DEFAULT_GENEVE_PORT, false), mtu) :
                new AfPacketPort(probe.parse("interface", Values::deviceName, "", true), null, 0, mtu);
        };
    }

    private static UdpPort udpPort(final YamlMap map, final int mtu)
    {
        final InetAddress bind = map.parse("bind", Values::ipv4, null, true);
        final int listenPort = map.integer("listen-port", 1, 65535, DEFAULT_GENEVE_PORT, false);
        final PortRange range = map.parse("ports", Values::portRange, PortRange.of(listenPort), false);
        if (range.size() > MAX_POOL_SOCKETS)
        {
            map.error("ports", "must hold at most " + MAX_POOL_SOCKETS + " ports (one socket each), got " + range.size());
        }
        else if (!range.contains(listenPort))
        {
            map.error("ports", "must include listen-port " + listenPort + " (peers send to it), got " + range);
        }
        if (null != bind && (bind.isMulticastAddress()))
        {
            map.error("bind", "must be a unicast address, got " + bind.getHostAddress());
        }
        return new UdpPort(bind, listenPort, range, mtu);
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
                    unique(peerIds, id, map.where("id"), "peer id " + id);
                }
            }
            if (!name.isEmpty())
            {
                unique(names, name, map.where("name"), "peer name '" + name + "'");
            }
            if (null != address)
            {
                if (address.isAnyLocalAddress() || address.isMulticastAddress() ||
                    "255.255.255.255".equals(address.getHostAddress()))
                {
                    map.error("address", "must be a unicast address, got " + address.getHostAddress());
                }
                unique(endpoints, address.getHostAddress() + ":" + port, map.where("address"),
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
                unique(ids, id, key.where("id"), "key id " + id);
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

    private List<ServiceConfig> services(final YamlMap root, final PortsConfig ports)
    {
        final List<Node> items = root.list("services", false);
        final List<ServiceConfig> services = new ArrayList<>(items.size());
        final Map<Integer, Where> ids = new HashMap<>();
        final Map<String, Where> names = new HashMap<>();
        final List<Listener> listeners = new ArrayList<>(items.size());
        for (int i = 0; i < items.size(); i++)
        {
            final YamlMap map = YamlMap.of(items.get(i), root.path("services") + "[" + i + "]", errors, SERVICE_KEYS);
            if (null == map)
            {
                continue;
            }
            final int id = map.integer("id", 1, ServiceConfig.MAX_ID, 0, true);
            final String name = map.parse("name", Values::name, "", true);
            final InetAddress vip = map.parse("vip", Values::ip, null, true);
            final Protocol protocol = map.keyword("protocol", Protocol.class, null, true);
            PortRange range = PortRange.NONE;
            if (null != protocol && protocol.hasPorts())
            {
                range = map.parse("ports", Values::portRange, PortRange.NONE, true);
            }
            else if (null != protocol && map.has("ports"))
            {
                map.error("ports", "icmp has no ports; remove this field");
            }
            final int egress = map.integer("egress", 1, 65535, 0, true);
            final long bandwidth = map.parse("bandwidth", Values::bitsPerSecond, 0L, false);
            if (id != 0)
            {
                unique(ids, id, map.where("id"), "service id " + id);
            }
            if (!name.isEmpty())
            {
                unique(names, name, map.where("name"), "service name '" + name + "'");
            }
            if (null != vip && (vip.isAnyLocalAddress() || vip.isMulticastAddress()))
            {
                map.error("vip", "must be a unicast address, got " + vip.getHostAddress());
            }
            if (egress != 0 && popId != 0 && egress != popId && !peerIds.containsKey(egress))
            {
                map.error("egress", "names POP " + egress + ", which is neither this POP (" + popId +
                    ") nor a peer");
            }
            final List<BackendConfig> backends = backends(map, vip, protocol);
            if (egress != 0 && egress == popId)
            {
                if (backends.isEmpty() && !map.has("backends"))
                {
                    map.missing("backends");
                }
                if (null == ports.origin() && null != ports.backbone())
                {
                    map.error("egress", "is this POP, which then needs ports.origin to reach the backends");
                }
            }
            if (null != vip && null != protocol)
            {
                listeners.add(new Listener(vip, protocol, range, map.where(map.has("ports") ? "ports" : "vip"), id));
            }
            services.add(new ServiceConfig(id, name, vip, protocol, range, egress, bandwidth, backends));
        }
        overlaps(listeners);
        return services;
    }

    private List<BackendConfig> backends(final YamlMap service, final InetAddress vip, final Protocol protocol)
    {
        final List<Node> items = service.list("backends", false);
        final List<BackendConfig> backends = new ArrayList<>(items.size());
        final Map<String, Where> endpoints = new HashMap<>();
        for (int i = 0; i < items.size(); i++)
        {
            final YamlMap map = YamlMap.of(items.get(i), service.path("backends") + "[" + i + "]", errors, BACKEND_KEYS);
            if (null == map)
            {
                continue;
            }
            final InetAddress address = map.parse("address", Values::ip, null, true);
            int port = 0;
            if (map.has("port"))
            {
                if (null != protocol && !protocol.hasPorts())
                {
                    map.error("port", "icmp has no ports; remove this field");
                }
                else
                {
                    port = map.integer("port", 1, 65535, 0, false);
                }
            }
            final int weight = map.integer("weight", 0, 65535, 1, false);
            if (null != address)
            {
                if (null != vip && (address instanceof Inet4Address) != (vip instanceof Inet4Address))
                {
                    map.error("address", "must be in the VIP's address family (" +
                        (vip instanceof Inet4Address ? "IPv4" : "IPv6") + "), got " + address.getHostAddress());
                }
                if (address.isAnyLocalAddress() || address.isMulticastAddress())
                {
                    map.error("address", "must be a unicast address, got " + address.getHostAddress());
                }
                unique(endpoints, address.getHostAddress() + "#" + port, map.where("address"),
                    "backend " + address.getHostAddress() + (port == 0 ? "" : " port " + port));
                backends.add(new BackendConfig(address, port, weight));
            }
        }
        return backends;
    }

    private void overlaps(final List<Listener> listeners)
    {
        final List<Listener> sorted = new ArrayList<>(listeners);
        sorted.sort(Comparator.comparing((Listener l) -> l.vip().getHostAddress())
            .thenComparing(Listener::protocol)
            .thenComparingInt(l -> l.ports().first())
            .thenComparingInt(l -> l.where().line()));
        Listener widest = null;
        for (final Listener listener : sorted)
        {
            if (null != widest && widest.vip().equals(listener.vip()) && widest.protocol() == listener.protocol() &&
                widest.ports().overlaps(listener.ports()))
            {
                final boolean widestFirst = widest.where().line() <= listener.where().line();
                final Listener later = widestFirst ? listener : widest;
                final Listener earlier = widestFirst ? widest : listener;
                errors.add(later.where(), "listener " + later.vip().getHostAddress() + " " +
                    later.protocol().name().toLowerCase(java.util.Locale.ROOT) +
                    (later.protocol().hasPorts() ? " " + later.ports() : "") + " overlaps service id " +
                    earlier.serviceId() + " (line " + earlier.where().line() + ")");
            }
            if (null == widest || !widest.vip().equals(listener.vip()) || widest.protocol() != listener.protocol() ||
                listener.ports().last() > widest.ports().last())
            {
                widest = listener;
            }
        }
    }

    private List<RouteConfig> routes(final YamlMap root)
    {
        final List<Node> items = root.list("routes", false);
        final List<RouteConfig> routes = new ArrayList<>(items.size());
        final Map<Integer, Where> destinations = new HashMap<>();
        for (int i = 0; i < items.size(); i++)
        {
            final YamlMap map = YamlMap.of(items.get(i), root.path("routes") + "[" + i + "]", errors, ROUTE_KEYS);
            if (null == map)
            {
                continue;
            }
            final int to = map.integer("to", 1, 65535, 0, true);
            if (to != 0)
            {
                if (to == popId)
                {
                    map.error("to", "is this POP (" + to + "); routes lead to other POPs");
                }
                else if (!peerIds.containsKey(to))
                {
                    map.error("to", "names POP " + to + ", which is not a peer");
                }
                unique(destinations, to, map.where("to"), "route to POP " + to);
            }
            final List<Node> pathNodes = map.list("paths", true);
            if (map.has("paths") && pathNodes.isEmpty())
            {
                map.error("paths", "must hold at least one path");
            }
            final List<RoutePath> paths = new ArrayList<>(pathNodes.size());
            final Map<List<Integer>, Where> seen = new HashMap<>();
            boolean anyWeighted = false;
            for (int p = 0; p < pathNodes.size(); p++)
            {
                final YamlMap path = YamlMap.of(pathNodes.get(p), map.path("paths") + "[" + p + "]", errors, PATH_KEYS);
                if (null == path)
                {
                    continue;
                }
                final List<Integer> via = via(path, to);
                final int weight = path.integer("weight", 0, 65535, 1, false);
                anyWeighted |= weight > 0;
                if (null != via)
                {
                    unique(seen, via, path.where("via"), "path " + (via.isEmpty() ? "direct" : "via " + via));
                    paths.add(new RoutePath(via, weight));
                }
            }
            if (!pathNodes.isEmpty() && !anyWeighted)
            {
                map.error("paths", "needs at least one path with weight above 0 (weight 0 is a standby)");
            }
            routes.add(new RouteConfig(to, paths));
        }
        return routes;
    }

    /**
     * {@code via: direct} or {@code via: [2]} or {@code via: [2, 5]}.
     */
    private List<Integer> via(final YamlMap path, final int to)
    {
        final Node value = path.value("via");
        if (null == value)
        {
            path.missing("via");
            return null;
        }
        if (value instanceof final ScalarNode scalar && "direct".equals(scalar.getValue()))
        {
            return List.of();
        }
        if (!(value instanceof final SequenceNode sequence))
        {
            path.error("via", "must be 'direct' or a list of relay POP ids like [2], got " + YamlMap.describe(value));
            return null;
        }
        final List<Node> hops = sequence.getValue();
        if (hops.isEmpty())
        {
            path.error("via", "must list at least one relay POP; write 'via: direct' for the direct path");
            return null;
        }
        if (hops.size() > RouteConfig.MAX_RELAYS)
        {
            path.error("via", "must have at most " + RouteConfig.MAX_RELAYS + " relays (the option carries 3 hops)" +
                ", got " + hops.size());
            return null;
        }
        final List<Integer> via = new ArrayList<>(hops.size());
        final Set<Integer> seen = new HashSet<>();
        boolean valid = true;
        for (int h = 0; h < hops.size(); h++)
        {
            final Node hop = hops.get(h);
            final String hopPath = path.path("via") + "[" + h + "]";
            if (!(hop instanceof final ScalarNode scalar) || !scalar.getValue().matches("\\d{1,5}"))
            {
                errors.add(hop, hopPath, "must be a relay POP id, got " + YamlMap.describe(hop));
                valid = false;
                continue;
            }
            final int relay = Integer.parseInt(scalar.getValue());
            if (relay == popId || relay == to)
            {
                errors.add(hop, hopPath, "POP " + relay + " is " + (relay == popId ? "this POP" : "the destination") +
                    ", not a relay");
                valid = false;
            }
            else if (!peerIds.containsKey(relay))
            {
                errors.add(hop, hopPath, "names POP " + relay + ", which is not a peer");
                valid = false;
            }
            else if (!seen.add(relay))
            {
                errors.add(hop, hopPath, "repeats relay POP " + relay);
                valid = false;
            }
            via.add(relay);
        }
        return valid ? via : null;
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

    private <K> void unique(final Map<K, Where> seen, final K key, final Where where, final String what)
    {
        final Where first = seen.putIfAbsent(key, where);
        if (null != first)
        {
            errors.add(where, "duplicate " + what + " (first at line " + first.line() + ")");
        }
    }

    private record Listener(InetAddress vip, Protocol protocol, PortRange ports, Where where, int serviceId)
    {
    }
}
