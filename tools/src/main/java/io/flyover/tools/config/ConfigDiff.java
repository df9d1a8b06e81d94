package io.flyover.tools.config;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.function.Function;

/**
 * What changed between the running configuration and a new one, split into changes a reload
 * applies hot (services, backends, weights, peers, keys, routes, liveness, the POP's name) and
 * changes that need a restart (POP id, ports, optimizer settings, threads, flow table, admin address,
 * directories).
 * A reload with any restart-required change is rejected as a whole and the old configuration
 * keeps serving; {@link #rejection()} says why. Control thread only.
 *
 * @param changes every change, hot and restart-required, in a stable order.
 */
public record ConfigDiff(List<ConfigChange> changes)
{
    public ConfigDiff
    {
        changes = List.copyOf(changes);
    }

    /**
     * Compares two valid configurations.
     *
     * @param running the configuration in service.
     * @param next    the configuration offered by the reload.
     * @return their differences.
     */
    public static ConfigDiff between(final GatewayConfig running, final GatewayConfig next)
    {
        final Builder b = new Builder();
        b.restart("pop.id", running.pop().id(), next.pop().id());
        b.hot("pop.name", running.pop().name(), next.pop().name());
        port(b, "ports.edge", running.ports().edge(), next.ports().edge());
        port(b, "ports.backbone", running.ports().backbone(), next.ports().backbone());
        port(b, "ports.origin", running.ports().origin(), next.ports().origin());
        byId(b, "peers", running.peers(), next.peers(), PeerConfig::id, "id=", ConfigDiff::peer);
        b.hot("keys.send", running.keys().sendKeyId(), next.keys().sendKeyId());
        byId(b, "keys.active", running.keys().active(), next.keys().active(), BackboneKey::id, "id=",
            (path, pair, builder) -> builder.hot(path + ".secret", "changed"));
        byId(b, "services", running.services(), next.services(), ServiceConfig::id, "id=", ConfigDiff::service);
        byId(b, "routes", running.routes(), next.routes(), RouteConfig::to, "to=",
            (path, pair, builder) -> builder.hot(path + ".paths", paths(pair.before()) + " -> " + paths(pair.after())));
        b.hot("liveness.interval", ConfigParser.format(running.liveness().interval()),
            ConfigParser.format(next.liveness().interval()));
        b.hot("liveness.multiplier", running.liveness().multiplier(), next.liveness().multiplier());
        final OptimizerConfig o0 = running.optimizer();
        final OptimizerConfig o1 = next.optimizer();
        b.restart("optimizer.enabled", o0.enabled(), o1.enabled());
        b.restart("optimizer.probe-interval", ConfigParser.format(o0.probeInterval()),
            ConfigParser.format(o1.probeInterval()));
        b.restart("optimizer.detect-multiplier", o0.detectMultiplier(), o1.detectMultiplier());
        b.restart("optimizer.up-after", o0.upAfter(), o1.upAfter());
        b.restart("optimizer.candidates", o0.candidates(), o1.candidates());
        b.restart("optimizer.exploration-percent", o0.explorationPercent(), o1.explorationPercent());
        b.restart("optimizer.hold", ConfigParser.format(o0.hold()), ConfigParser.format(o1.hold()));
        b.restart("optimizer.loss-penalty", ConfigParser.format(o0.lossPenalty()), ConfigParser.format(o1.lossPenalty()));
        b.restart("optimizer.warm-up", ConfigParser.format(o0.warmUp()), ConfigParser.format(o1.warmUp()));
        b.restart("optimizer.journal", o0.journal(), o1.journal());
        b.restart("optimizer.journal-retention", ConfigParser.format(o0.journalRetention()),
            ConfigParser.format(o1.journalRetention()));
        b.restart("threads.mode", lower(running.threads().mode()), lower(next.threads().mode()));
        b.restart("threads.workers", running.threads().workers(), next.threads().workers());
        b.restart("threads.idle", lower(running.threads().idle()), lower(next.threads().idle()));
        b.restart("flow-table.capacity", running.flowTable().capacityPerShard(), next.flowTable().capacityPerShard());
        final FlowTimeouts t0 = running.flowTable().timeouts();
        final FlowTimeouts t1 = next.flowTable().timeouts();
        timeout(b, "tcp-embryonic", t0, t1, FlowTimeouts::tcpEmbryonic);
        timeout(b, "tcp-established", t0, t1, FlowTimeouts::tcpEstablished);
        timeout(b, "tcp-closing", t0, t1, FlowTimeouts::tcpClosing);
        timeout(b, "udp", t0, t1, FlowTimeouts::udp);
        timeout(b, "icmp", t0, t1, FlowTimeouts::icmp);
        b.restart("admin.listen", socket(running.admin().listen()), socket(next.admin().listen()));
        b.restart("counters-dir", running.countersDir(), next.countersDir());
        b.restart("journal-dir", running.journalDir(), next.journalDir());
        if (running.flowHashKey() != next.flowHashKey())
        {
            // a secret: say that it changed, never its value
            b.changes.add(new ConfigChange("flow-hash-key", "changed", ConfigChange.Reload.RESTART));
        }
        return new ConfigDiff(b.changes);
    }

    /**
     * Whether the two configurations are the same.
     *
     * @return true when nothing changed.
     */
    public boolean isEmpty()
    {
        return changes.isEmpty();
    }

    /**
     * The changes a reload applies in place.
     *
     * @return the hot changes.
     */
    public List<ConfigChange> hot()
    {
        return changes.stream().filter(c -> c.reload() == ConfigChange.Reload.HOT).toList();
    }

    /**
     * The changes only a restart applies.
     *
     * @return the restart-required changes.
     */
    public List<ConfigChange> restartRequired()
    {
        return changes.stream().filter(c -> c.reload() == ConfigChange.Reload.RESTART).toList();
    }

    /**
     * Whether a reload must be rejected.
     *
     * @return true when any change needs a restart.
     */
    public boolean needsRestart()
    {
        return !restartRequired().isEmpty();
    }

    /**
     * Why a reload is rejected, one restart-required field per line.
     *
     * @return the message, or an empty string when the reload can be applied.
     */
    public String rejection()
    {
        final List<ConfigChange> restart = restartRequired();
        if (restart.isEmpty())
        {
            return "";
        }
        final StringBuilder sb = new StringBuilder("reload rejected, the running configuration stays in service; ")
            .append(restart.size()).append(restart.size() == 1 ? " change needs" : " changes need")
            .append(" a restart:");
        for (final ConfigChange change : restart)
        {
            sb.append("\n  ").append(change);
        }
        return sb.toString();
    }

    private static void port(final Builder b, final String path, final PortConfig before, final PortConfig after)
    {
        if (Objects.equals(before, after))
        {
            return;
        }
        if (null == before || null == after || !before.type().equals(after.type()))
        {
            b.restart(path, null == before ? "none" : before.type(), null == after ? "none" : after.type());
            return;
        }
        switch (before)
        {
            case final TunPort t0 when after instanceof final TunPort t1 ->
            {
                b.restart(path + ".device", t0.device(), t1.device());
                b.restart(path + ".queues", t0.queues(), t1.queues());
            }
            case final UdpPort u0 when after instanceof final UdpPort u1 ->
            {
                b.restart(path + ".bind", address(u0.bind()), address(u1.bind()));
                b.restart(path + ".listen-port", u0.listenPort(), u1.listenPort());
                b.restart(path + ".ports", u0.ports(), u1.ports());
            }
            case final AfPacketPort a0 when after instanceof final AfPacketPort a1 ->
            {
                b.restart(path + ".interface", a0.device(), a1.device());
                b.restart(path + ".address", address(a0.address()), address(a1.address()));
                b.restart(path + ".listen-port", a0.listenPort(), a1.listenPort());
                b.restart(path + ".next-hop", address(a0.nextHop()), address(a1.nextHop()));
                b.restart(path + ".next-hop-mac", a0.nextHopMac(), a1.nextHopMac());
            }
            default -> b.restart(path, before.type(), after.type());
        }
        b.restart(path + ".mtu", before.mtu(), after.mtu());
    }

    private static void peer(final String path, final Pair<PeerConfig> pair, final Builder b)
    {
        b.hot(path + ".name", pair.before().name(), pair.after().name());
        b.hot(path + ".address", address(pair.before().address()), address(pair.after().address()));
        b.hot(path + ".port", pair.before().port(), pair.after().port());
    }

    private static void service(final String path, final Pair<ServiceConfig> pair, final Builder b)
    {
        final ServiceConfig s0 = pair.before();
        final ServiceConfig s1 = pair.after();
        b.hot(path + ".name", s0.name(), s1.name());
        b.hot(path + ".vip", address(s0.vip()), address(s1.vip()));
        b.hot(path + ".protocol", lower(s0.protocol()), lower(s1.protocol()));
        b.hot(path + ".ports", s0.ports(), s1.ports());
        b.hot(path + ".egress", s0.egressPop(), s1.egressPop());
        b.hot(path + ".bandwidth", s0.bandwidthBitsPerSecond() + "bit/s", s1.bandwidthBitsPerSecond() + "bit/s");
        if (!s0.backends().equals(s1.backends()))
        {
            final Map<String, BackendConfig> before = backendsByEndpoint(s0.backends());
            final Map<String, BackendConfig> after = backendsByEndpoint(s1.backends());
            for (final Map.Entry<String, BackendConfig> e : before.entrySet())
            {
                final BackendConfig next = after.get(e.getKey());
                if (null == next)
                {
                    b.hot(path + ".backends[" + e.getKey() + "]", "removed");
                }
                else
                {
                    b.hot(path + ".backends[" + e.getKey() + "].weight", e.getValue().weight(), next.weight());
                }
            }
            for (final String endpoint : after.keySet())
            {
                if (!before.containsKey(endpoint))
                {
                    b.hot(path + ".backends[" + endpoint + "]", "added");
                }
            }
            if (before.keySet().equals(after.keySet()) && b.countWithPrefix(path + ".backends") == 0)
            {
                b.hot(path + ".backends", "reordered");
            }
        }
    }

    private static Map<String, BackendConfig> backendsByEndpoint(final List<BackendConfig> backends)
    {
        final Map<String, BackendConfig> map = new LinkedHashMap<>();
        for (final BackendConfig backend : backends)
        {
            map.put(address(backend.address()) + (backend.port() == 0 ? "" : ":" + backend.port()), backend);
        }
        return map;
    }

    private static String paths(final RouteConfig route)
    {
        final StringBuilder sb = new StringBuilder("[");
        for (final RoutePath path : route.paths())
        {
            if (sb.length() > 1)
            {
                sb.append(", ");
            }
            sb.append(path.direct() ? "direct" : "via " + path.via()).append(" weight ").append(path.weight());
        }
        return sb.append(']').toString();
    }

    private static void timeout(
        final Builder b,
        final String name,
        final FlowTimeouts before,
        final FlowTimeouts after,
        final Function<FlowTimeouts, java.time.Duration> field)
    {
        b.restart("flow-table.timeouts." + name, ConfigParser.format(field.apply(before)),
            ConfigParser.format(field.apply(after)));
    }

    private static <T> void byId(
        final Builder b,
        final String section,
        final List<T> before,
        final List<T> after,
        final Function<T, Integer> id,
        final String idLabel,
        final Comparer<T> comparer)
    {
        final Map<Integer, T> old = new LinkedHashMap<>();
        for (final T item : before)
        {
            old.put(id.apply(item), item);
        }
        final Map<Integer, T> next = new LinkedHashMap<>();
        for (final T item : after)
        {
            next.put(id.apply(item), item);
        }
        for (final Map.Entry<Integer, T> e : old.entrySet())
        {
            final String path = section + "[" + idLabel + e.getKey() + "]";
            final T replacement = next.get(e.getKey());
            if (null == replacement)
            {
                b.hot(path, "removed");
            }
            else if (!replacement.equals(e.getValue()))
            {
                comparer.compare(path, new Pair<>(e.getValue(), replacement), b);
            }
        }
        for (final Integer key : next.keySet())
        {
            if (!old.containsKey(key))
            {
                b.hot(section + "[" + idLabel + key + "]", "added");
            }
        }
    }

    private static String address(final InetAddress address)
    {
        return null == address ? "none" : address.getHostAddress();
    }

    private static String socket(final InetSocketAddress address)
    {
        final InetAddress ip = address.getAddress();
        final String host = null == ip ? address.getHostString() : ip.getHostAddress();
        return (host.indexOf(':') >= 0 ? "[" + host + "]" : host) + ":" + address.getPort();
    }

    private static String lower(final Enum<?> value)
    {
        return null == value ? "none" : value.name().toLowerCase(java.util.Locale.ROOT).replace('_', '-');
    }

    private record Pair<T>(T before, T after)
    {
    }

    @FunctionalInterface
    private interface Comparer<T>
    {
        void compare(String path, Pair<T> pair, Builder builder);
    }

    private static final class Builder
    {
        private final List<ConfigChange> changes = new ArrayList<>();

        void hot(final String path, final Object before, final Object after)
        {
            if (!Objects.equals(before, after))
            {
                changes.add(new ConfigChange(path, before + " -> " + after, ConfigChange.Reload.HOT));
            }
        }

        void hot(final String path, final String detail)
        {
            changes.add(new ConfigChange(path, detail, ConfigChange.Reload.HOT));
        }

        void restart(final String path, final Object before, final Object after)
        {
            if (!Objects.equals(before, after))
            {
                changes.add(new ConfigChange(path, before + " -> " + after, ConfigChange.Reload.RESTART));
            }
        }

        int countWithPrefix(final String prefix)
        {
            int count = 0;
            for (final ConfigChange change : changes)
            {
                if (change.path().startsWith(prefix))
                {
                    count++;
                }
            }
            return count;
        }
    }
}
