package io.flyover.tools.config;

import java.net.Inet4Address;
import java.net.InetAddress;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import org.snakeyaml.engine.v2.nodes.Node;

import static io.flyover.tools.config.ErrorSink.Where;

/**
 * Reads {@code services} and their backends, and checks that no two listeners overlap.
 */
final class ServicesSection
{
    private static final Set<String> SERVICE_KEYS = Set.of(
        "id", "name", "vip", "protocol", "ports", "egress", "bandwidth", "backends");
    private static final Set<String> BACKEND_KEYS = Set.of("address", "port", "weight");

    private ServicesSection()
    {
    }

    static List<ServiceConfig> read(
        final YamlMap root, final PortsConfig ports, final int popId, final Set<Integer> peerIds)
    {
        final List<Node> items = root.list("services", false);
        final List<ServiceConfig> services = new ArrayList<>(items.size());
        final Map<Integer, Where> ids = new HashMap<>();
        final Map<String, Where> names = new HashMap<>();
        final List<Listener> listeners = new ArrayList<>(items.size());
        for (int i = 0; i < items.size(); i++)
        {
            final YamlMap map = YamlMap.of(items.get(i), root.path("services") + "[" + i + "]", root.errors(), SERVICE_KEYS);
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
                root.errors().unique(ids, id, map.where("id"), "service id " + id);
            }
            if (!name.isEmpty())
            {
                root.errors().unique(names, name, map.where("name"), "service name '" + name + "'");
            }
            if (null != vip && (vip.isAnyLocalAddress() || vip.isMulticastAddress()))
            {
                map.error("vip", "must be a unicast address, got " + vip.getHostAddress());
            }
            if (egress != 0 && popId != 0 && egress != popId && !peerIds.contains(egress))
            {
                map.error("egress", "names POP " + egress + ", which is neither this POP (" + popId +
                    ") nor a peer");
            }
            final List<BackendConfig> backends = backends(map, vip, protocol);
            if (egress != 0 && egress == popId)
            {
                if (!map.has("backends"))
                {
                    map.missing("backends");
                }
                else if (map.list("backends", false).isEmpty())
                {
                    map.error("backends", "must hold at least one backend at the egress POP (weight 0 drains one)");
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
        overlaps(root.errors(), listeners);
        return services;
    }

    private static List<BackendConfig> backends(final YamlMap service, final InetAddress vip, final Protocol protocol)
    {
        final List<Node> items = service.list("backends", false);
        final List<BackendConfig> backends = new ArrayList<>(items.size());
        final Map<String, Where> endpoints = new HashMap<>();
        for (int i = 0; i < items.size(); i++)
        {
            final YamlMap map = YamlMap.of(items.get(i), service.path("backends") + "[" + i + "]", service.errors(), BACKEND_KEYS);
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
                service.errors().unique(endpoints, address.getHostAddress() + "#" + port, map.where("address"),
                    "backend " + address.getHostAddress() + (port == 0 ? "" : " port " + port));
                backends.add(new BackendConfig(address, port, weight));
            }
        }
        return backends;
    }

    private static void overlaps(final ErrorSink errors, final List<Listener> listeners)
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

    private record Listener(InetAddress vip, Protocol protocol, PortRange ports, Where where, int serviceId)
    {
    }
}
