package io.flyover.tools.gateway;

import io.flyover.dataplane.engine.EngineConfig;
import io.flyover.dataplane.engine.PipelineConfig;
import io.flyover.dataplane.flow.FlowTableConfig;
import io.flyover.dataplane.lb.Backend;
import io.flyover.dataplane.table.BackboneKey;
import io.flyover.dataplane.table.ForwardingTables;
import io.flyover.dataplane.table.KeyRing;
import io.flyover.dataplane.table.PathTable;
import io.flyover.dataplane.table.Pop;
import io.flyover.dataplane.table.Route;
import io.flyover.dataplane.table.Service;
import io.flyover.dataplane.table.Vip;
import io.flyover.dataplane.table.WeightedRoute;
import io.flyover.tools.config.AfPacketPort;
import io.flyover.tools.config.BackendConfig;
import io.flyover.tools.config.FlowTimeouts;
import io.flyover.tools.config.GatewayConfig;
import io.flyover.tools.config.OptimizerConfig;
import io.flyover.tools.config.PeerConfig;
import io.flyover.tools.config.PortConfig;
import io.flyover.tools.config.RouteConfig;
import io.flyover.tools.config.RoutePath;
import io.flyover.tools.config.ServiceConfig;
import io.flyover.tools.config.UdpPort;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.function.IntPredicate;

import io.flyover.optimizer.control.ControlPlaneConfig;
import io.flyover.optimizer.latency.EstimatorConfig;
import io.flyover.optimizer.latency.FailureDetectorConfig;
import io.flyover.optimizer.policy.PolicyConfig;
import io.flyover.optimizer.probe.ProberConfig;

/**
 * Turns a validated {@link GatewayConfig} into what the data plane runs on: a
 * {@link ForwardingTables} snapshot and an {@link EngineConfig}. Pure functions; control thread.
 * <p>
 * Choices made here (see docs/gateway.md):
 * <ul>
 *   <li>Every POP (local and peers) carries the same {@link KeyRing}, built from {@code keys}: the
 *   backbone keys are the deployment's, not per peer.</li>
 *   <li>The local POP's underlay address is the backbone port's bind address (udp) or address
 *   (afpacket), with its listen port.</li>
 *   <li>Backend ids are derived from the backend's address and port (a 16-bit hash, collisions
 *   resolved by probing upward in address:port order), not from its position in the list, so
 *   removing or reordering backends on a reload does not move flows pinned to the others.</li>
 *   <li>Bandwidth caps are configured in bits per second and compiled to bytes per second
 *   (rounded down; a cap below 8 bit/s becomes 1 B/s rather than "unlimited").</li>
 *   <li>Paths: a peer with a route gets a path table of its weighted paths whose first hop is live;
 *   standby paths (weight 0) get weight 1 only while no weighted path is live; with nothing live,
 *   every weighted path is kept. A peer without a route gets the direct path with weight 1.</li>
 * </ul>
 */
public final class ConfigCompiler
{
    /**
     * The flow-hash key when the file sets none; see {@link GatewayConfig#DEFAULT_FLOW_HASH_KEY}.
     */
    public static final long DEFAULT_FLOW_HASH_KEY = GatewayConfig.DEFAULT_FLOW_HASH_KEY;

    /** Ring slots between port agents and workers. */
    public static final int RING_SLOTS = 4096;

    /** Frames per agent duty cycle. */
    public static final int BATCH_SIZE = 64;

    /** Hop limit written into new tunnel packets. */
    public static final int HOP_LIMIT = 8;

    /** ICMP errors per second per worker. */
    public static final int ICMP_ERRORS_PER_SECOND = 100;

    /** Headroom the ring slots keep in front of a frame for encapsulation. */
    public static final int SLOT_HEADROOM = 128;

    private ConfigCompiler()
    {
    }

    /**
     * Builds the forwarding snapshot.
     *
     * @param config  a validated configuration.
     * @param version the snapshot's version, increasing with every publish.
     * @return the snapshot.
     * @throws IllegalArgumentException if the data plane refuses part of it (the message says which).
     */
    public static ForwardingTables tables(final GatewayConfig config, final long version)
    {
        return tables(config, version, peer -> true);
    }

    /**
     * Builds the forwarding snapshot with what liveness knows: paths whose first hop is a peer that
     * is not live are left out (see {@link #routes(GatewayConfig, int, IntPredicate)}).
     *
     * @param config  a validated configuration.
     * @param version the snapshot's version, increasing with every publish.
     * @param live    whether a peer (by id) is live; a peer unknown to liveness should be live.
     * @return the snapshot.
     * @throws IllegalArgumentException if the data plane refuses part of it (the message says which).
     */
    public static ForwardingTables tables(final GatewayConfig config, final long version, final IntPredicate live)
    {
        return tables(config, version, live, Map.of());
    }

    /**
     * Builds the forwarding snapshot with the optimizer's path tables laid over the configured ones:
     * a destination the optimizer has a table for takes it, provided the destination is still a
     * peer and every POP of its routes is still known; every other destination keeps its configured
     * routes (see {@link #routes(GatewayConfig, int, IntPredicate)}).
     *
     * @param config    a validated configuration.
     * @param version   the snapshot's version, increasing with every publish.
     * @param live      whether a peer (by id) is live.
     * @param optimizer the optimizer's path tables by egress POP id.
     * @return the snapshot.
     * @throws IllegalArgumentException if the data plane refuses part of it (the message says which).
     */
    public static ForwardingTables tables(
        final GatewayConfig config, final long version, final IntPredicate live, final Map<Integer, PathTable> optimizer)
    {
        final KeyRing keys = keyRing(config);
        final List<Pop> pops = new ArrayList<>();
        final int localId = config.pop().id();
        pops.add(new Pop(localId, config.pop().name(), localUnderlay(config), keys));
        for (final PeerConfig peer : config.peers())
        {
            pops.add(new Pop(peer.id(), peer.name(), new InetSocketAddress(peer.address(), peer.port()), keys));
        }

        final List<Service> services = new ArrayList<>();
        for (final ServiceConfig service : config.services())
        {
            services.add(service(service));
        }

        final List<PathTable> pathTables = new ArrayList<>();
        for (final PeerConfig peer : config.peers())
        {
            final PathTable learned = optimizer.get(peer.id());
            pathTables.add(null != learned && knownPops(config, learned) ?
                learned : PathTable.build(peer.id(), routes(config, peer.id(), live)));
        }
        return ForwardingTables.build(version, localId, pops, services, pathTables);
    }

    private static boolean knownPops(final GatewayConfig config, final PathTable table)
    {
        for (final WeightedRoute weighted : table.routes())
        {
            final Route route = weighted.route();
            if (route.ingressPop() != config.pop().id())
            {
                return false;
            }
            for (int i = 1; i < route.length(); i++)
            {
                if (null == config.peer(route.pop(i)))
                {
                    return false;
                }
            }
        }
        return true;
    }

    /**
     * The control plane's settings from the {@code optimizer} section.
     *
     * @param config a validated configuration.
     * @param seed   seeds the probe jitter and the exploration.
     * @return the settings.
     */
    public static ControlPlaneConfig controlPlane(final GatewayConfig config, final long seed)
    {
        final OptimizerConfig o = config.optimizer();
        final FailureDetectorConfig failure =
            new FailureDetectorConfig(o.probeInterval().toNanos(), o.detectMultiplier(), o.upAfter());
        final double jitter = ProberConfig.DEFAULT.jitterFraction();
        final int needed = (int)Math.ceil(o.detectMultiplier() / (1 - jitter)) + 2;
        final int pending = Math.max(ProberConfig.DEFAULT.pendingWindow(), Integer.highestOneBit(needed - 1) << 1);
        final ProberConfig prober = new ProberConfig(failure, EstimatorConfig.DEFAULT, jitter, pending,
            ProberConfig.DEFAULT.maxEntriesPerProbe());
        final PolicyConfig d = PolicyConfig.DEFAULT;
        final PolicyConfig policy = new PolicyConfig(d.strategy(), o.explorationPercent() / 100.0, d.exploreTopN(),
            d.relativeMargin(), d.absoluteMarginNs(), d.confidenceZ(), o.hold().toNanos(), d.stableHalfLifeNs(),
            d.stableMargin(), d.shiftZ(), d.minDwellNs(), d.flapHalfLifeNs(),
            o.probeInterval().toNanos() * o.detectMultiplier(),
            d.rttHalfLifeNs(), d.lossHalfLifeNs(), o.lossPenalty().toNanos(), d.passiveWeight(), d.minSamples(),
            d.explorationPeriodNs(),
            d.thompsonDraws(), d.ucbExploration(), d.priorStdNs(), d.minStdNs(), d.maxCandidates());
        final ControlPlaneConfig defaults = ControlPlaneConfig.defaults(seed);
        return new ControlPlaneConfig(prober, policy, o.candidates(), defaults.relayPenaltyNs(),
            defaults.recomputeIntervalNs(), defaults.statusIntervalNs(), HOP_LIMIT, seed);
    }

    /**
     * The weighted routes from this POP to a peer.
     *
     * @param config the configuration.
     * @param to     the destination POP id.
     * @return the routes that get buckets.
     */
    public static List<WeightedRoute> routes(final GatewayConfig config, final int to)
    {
        return routes(config, to, peer -> true);
    }

    /**
     * The weighted routes from this POP to a peer, given which peers liveness holds live. A path
     * is usable when its first hop (the first relay, or the destination for a direct path) is live.
     * <ol>
     *   <li>usable weighted paths, with their weights, if there is any;</li>
     *   <li>else usable standby paths (weight 0), each with weight 1;</li>
     *   <li>else (no usable path at all) every configured path as if all were live: there is
     *   nothing better to send on, and the packets are not worse off than being dropped.</li>
     * </ol>
     * A peer without a route is always reached directly.
     *
     * @param config the configuration.
     * @param to     the destination POP id.
     * @param live   whether a peer (by id) is live.
     * @return the routes that get buckets.
     */
    public static List<WeightedRoute> routes(final GatewayConfig config, final int to, final IntPredicate live)
    {
        final int localId = config.pop().id();
        final RouteConfig route = config.route(to);
        final List<WeightedRoute> result = new ArrayList<>();
        if (null == route)
        {
            result.add(new WeightedRoute(Route.of(localId, to), 1));
            return result;
        }
        final List<WeightedRoute> weighted = new ArrayList<>();
        final List<WeightedRoute> standby = new ArrayList<>();
        final List<WeightedRoute> allWeighted = new ArrayList<>();
        for (final RoutePath path : route.paths())
        {
            final int[] hops = new int[path.via().size() + 2];
            hops[0] = localId;
            for (int i = 0; i < path.via().size(); i++)
            {
                hops[i + 1] = path.via().get(i);
            }
            hops[hops.length - 1] = to;
            final Route r = Route.of(hops);
            if (path.weight() > 0)
            {
                allWeighted.add(new WeightedRoute(r, path.weight()));
            }
            if (!live.test(hops[1]))
            {
                continue;
            }
            if (path.weight() > 0)
            {
                weighted.add(new WeightedRoute(r, path.weight()));
            }
            else
            {
                standby.add(new WeightedRoute(r, 1));
            }
        }
        if (!weighted.isEmpty())
        {
            return weighted;
        }
        if (!standby.isEmpty())
        {
            return standby;
        }
        return allWeighted;
    }

    /**
     * One service.
     *
     * @param service its configuration.
     * @return the data plane's service.
     */
    public static Service service(final ServiceConfig service)
    {
        final Vip vip = new Vip(
            service.vip(), service.protocol().ipProtocolNumber(), service.ports().first(), service.ports().last());
        return new Service(service.id(), service.name(), vip, service.egressPop(), backends(service.backends()),
            bytesPerSecond(service.bandwidthBitsPerSecond()));
    }

    /**
     * Converts a rate.
     *
     * @param bitsPerSecond bits per second, 0 for unlimited.
     * @return bytes per second, {@link Service#UNCAPPED} for unlimited.
     */
    public static long bytesPerSecond(final long bitsPerSecond)
    {
        if (bitsPerSecond <= 0)
        {
            return Service.UNCAPPED;
        }
        return Math.max(1, bitsPerSecond / 8);
    }

    /**
     * Backends with stable ids derived from address and port.
     *
     * @param backends the configured pool.
     * @return the data plane's backends, in configuration order.
     */
    public static List<Backend> backends(final List<BackendConfig> backends)
    {
        final List<BackendConfig> sorted = new ArrayList<>(backends);
        sorted.sort(Comparator.comparing(ConfigCompiler::backendName));
        final boolean[] taken = new boolean[Backend.MAX_ID + 1];
        final java.util.Map<BackendConfig, Integer> ids = new java.util.IdentityHashMap<>();
        for (final BackendConfig backend : sorted)
        {
            int id = backendIdHint(backend);
            while (taken[id])
            {
                id = (id + 1) % (Backend.MAX_ID + 1);
            }
            taken[id] = true;
            ids.put(backend, id);
        }
        final List<Backend> result = new ArrayList<>(backends.size());
        for (final BackendConfig backend : backends)
        {
            result.add(new Backend(ids.get(backend), backendName(backend), backend.address(), backend.port(),
                backend.weight()));
        }
        return result;
    }

    /**
     * The id a backend gets unless another backend of the pool already holds it.
     *
     * @param backend a backend.
     * @return a 32-bit FNV-1a hash of {@code address:port}, folded into {@code 0..Backend.MAX_ID}.
     */
    static int backendIdHint(final BackendConfig backend)
    {
        int hash = 0x811C9DC5;
        for (final byte b : backendName(backend).getBytes(StandardCharsets.UTF_8))
        {
            hash ^= b & 0xFF;
            hash *= 0x01000193;
        }
        return (int)(Integer.toUnsignedLong(hash) % (Backend.MAX_ID + 1));
    }

    private static String backendName(final BackendConfig backend)
    {
        final InetAddress address = backend.address();
        final String host = address.getHostAddress();
        return (host.indexOf(':') >= 0 ? "[" + host + "]" : host) + ":" + backend.port();
    }

    /**
     * The engine's shape.
     *
     * @param config       a validated configuration.
     * @param shardKey     key of the shard hash (local, e.g. random per process).
     * @param flowTableKey seed of the flow tables' hash (local).
     * @return the engine configuration.
     * @throws IllegalArgumentException if the engine refuses a value (the message says which).
     */
    public static EngineConfig engine(final GatewayConfig config, final long shardKey, final long flowTableKey)
    {
        final int workers = config.threads().workers();
        if (workers > 64)
        {
            throw new IllegalArgumentException(
                "threads.workers: the engine runs at most 64 worker shards, got " + workers);
        }
        final int capacity = config.flowTable().capacityPerShard();
        if (capacity > FlowTableConfig.MAX_CAPACITY)
        {
            throw new IllegalArgumentException("flow-table.capacity: the flow table holds at most "
                + FlowTableConfig.MAX_CAPACITY + " entries per shard, got " + capacity);
        }
        final FlowTimeouts t = config.flowTable().timeouts();
        final FlowTableConfig flowTable = new FlowTableConfig(
            capacity,
            Math.min(FlowTableConfig.DEFAULT_MAX_PROBE_LENGTH, capacity),
            ns(t.tcpEmbryonic()),
            ns(t.tcpEstablished()),
            ns(t.tcpClosing()),
            ns(t.udp()),
            ns(t.icmp()),
            false);
        final int backboneMtu = config.ports().backbone().mtu();
        final PipelineConfig pipeline =
            new PipelineConfig(backboneMtu, HOP_LIMIT, config.flowHashKey(), ICMP_ERRORS_PER_SECOND);
        return new EngineConfig(workers, RING_SLOTS, slotSize(config), BATCH_SIZE, flowTable, pipeline, shardKey,
            flowTableKey, EVENT_RING_BYTES);
    }

    /** Bytes of the engine's event ring toward the control plane. */
    static final int EVENT_RING_BYTES = 1 << 20;

    /**
     * A ring slot holds the largest frame any port carries (plus Ethernet for afpacket, plus the
     * tunnel overhead for the backbone) behind {@link #SLOT_HEADROOM} bytes; a power of two.
     *
     * @param config the configuration.
     * @return bytes per ring slot.
     */
    static int slotSize(final GatewayConfig config)
    {
        int largest = 0;
        for (final PortConfig port : new PortConfig[] {config.ports().edge(), config.ports().backbone(), config.ports().origin()})
        {
            if (null != port)
            {
                largest = Math.max(largest, port.mtu() + (port instanceof AfPacketPort ? 18 : 0));
            }
        }
        largest += GatewayConfig.TUNNEL_OVERHEAD_IPV4 + SLOT_HEADROOM;
        return Math.max(2048, Integer.highestOneBit(largest - 1) << 1);
    }

    private static long ns(final Duration duration)
    {
        return duration.toNanos();
    }

    private static KeyRing keyRing(final GatewayConfig config)
    {
        final List<BackboneKey> keys = new ArrayList<>();
        for (final io.flyover.tools.config.BackboneKey key : config.keys().active())
        {
            keys.add(new BackboneKey(key.id(), key.k0(), key.k1()));
        }
        return new KeyRing(config.keys().sendKeyId(), keys);
    }

    /**
     * This POP's underlay address: where peers send Geneve to.
     *
     * @param config the configuration.
     * @return the backbone's local address and listen port.
     */
    public static InetSocketAddress localUnderlay(final GatewayConfig config)
    {
        return switch (config.ports().backbone())
        {
            case UdpPort udp -> new InetSocketAddress(udp.bind(), udp.listenPort());
            case AfPacketPort af -> new InetSocketAddress(af.address(), af.listenPort());
            default -> throw new IllegalArgumentException(
                "ports.backbone: type " + config.ports().backbone().type() + " cannot face the backbone");
        };
    }
}
