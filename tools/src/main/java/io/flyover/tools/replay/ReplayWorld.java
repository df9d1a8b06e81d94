package io.flyover.tools.replay;

import java.net.Inet4Address;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import org.agrona.concurrent.CachedNanoClock;
import org.agrona.concurrent.UnsafeBuffer;
import org.agrona.concurrent.status.CountersManager;

import io.flyover.dataplane.engine.EngineConfig;
import io.flyover.dataplane.engine.InMemoryPort;
import io.flyover.dataplane.engine.PopEngine;
import io.flyover.dataplane.engine.PortRole;
import io.flyover.dataplane.lb.Backend;
import io.flyover.dataplane.protocol.IpProtocol;
import io.flyover.dataplane.table.ForwardingTables;
import io.flyover.dataplane.table.Service;
import io.flyover.dataplane.table.SnapshotPublisher;
import io.flyover.dataplane.table.Vip;
import io.flyover.dataplane.world.InMemoryWorld;
import io.flyover.tools.config.GatewayConfig;
import io.flyover.tools.gateway.ConfigCompiler;

/**
 * The POPs a replay runs, in chain order, on one clock the replay moves: either the built-in
 * world (the three-POP {@link InMemoryWorld} the engine's in-memory tests use) or one POP built
 * from a gateway configuration, its peers simulated. Built and driven on the replay thread.
 */
public final class ReplayWorld implements AutoCloseable
{
    /** Built-in world: POP A, the ingress. */
    public static final int POP_A = 1;
    /** Built-in world: POP B, a relay. */
    public static final int POP_B = 2;
    /** Built-in world: POP C, the region (egress) of both services. */
    public static final int POP_C = 3;
    /** Built-in world: the VIP of both services, 203.0.113.10. */
    public static final int VIP = 0xCB00710A;
    /** Built-in world: backend 1, 10.1.0.5. */
    public static final int BACKEND_1 = 0x0A010005;
    /** Built-in world: backend 2, 10.1.0.6. */
    public static final int BACKEND_2 = 0x0A010006;
    /** Built-in world: the seed of its keys. */
    public static final long SEED = 42;
    /** Built-in world: service 7, TCP port 80 of the VIP, one backend on port 8080. */
    public static final int SERVICE_WEB = 7;
    /** Built-in world: service 8, UDP port 53 of the VIP, two backends. */
    public static final int SERVICE_DNS = 8;

    /** Slots of each in-memory port ring: the replay drains every port after every duty cycle. */
    private static final int PORT_SLOTS = 1 << 11;
    private static final long CONFIG_SHARD_KEY = 0x5245_504C_4159_0001L;
    private static final long CONFIG_FLOW_TABLE_KEY = 0x5245_504C_4159_0002L;

    /** The clock of a POP built from a configuration; {@code null} in the built-in world. */
    private final CachedNanoClock clock;
    /** The built-in world, whose clock its POPs read; {@code null} for a configured POP. */
    private final InMemoryWorld world;
    private final List<ReplayPop> chain;
    private final int slotSize;
    private final AutoCloseable owner;

    private ReplayWorld(
        final CachedNanoClock clock,
        final InMemoryWorld world,
        final List<ReplayPop> chain,
        final int slotSize,
        final AutoCloseable owner)
    {
        this.clock = clock;
        this.world = world;
        this.chain = List.copyOf(chain);
        this.slotSize = slotSize;
        this.owner = owner;
    }

    /**
     * The built-in world: POPs a (1), b (2) and c (3); links a–b and b–c of 5 ms, a–c of 20 ms;
     * services web (7, TCP 203.0.113.10:80 → 10.1.0.5:8080) and dns (8, UDP 203.0.113.10:53 →
     * 10.1.0.5, 10.1.0.6), both in region c. Without a chain, packets enter POP a, whose routes to
     * c are a→c (weight 3) and a→b→c (weight 1). With a chain, they enter its first POP, whose one
     * route to c follows the chain (up to c; c is appended when the chain does not reach it).
     *
     * @param chainSpec POP ids or names, in order; empty for the default.
     * @return the world.
     * @throws IllegalArgumentException for an unknown or repeated POP.
     */
    public static ReplayWorld builtIn(final List<String> chainSpec)
    {
        final List<Integer> ids = new ArrayList<>();
        for (final String spec : chainSpec)
        {
            final int id = switch (spec.trim().toLowerCase(java.util.Locale.ROOT))
            {
                case "1", "a" -> POP_A;
                case "2", "b" -> POP_B;
                case "3", "c" -> POP_C;
                default -> throw new IllegalArgumentException(
                    "--chain: no POP '" + spec + "' in the built-in world (a/1, b/2, c/3)");
            };
            if (ids.contains(id))
            {
                throw new IllegalArgumentException("--chain: POP '" + spec + "' appears twice");
            }
            ids.add(id);
        }
        if (ids.isEmpty())
        {
            ids.add(POP_A);
        }

        final InMemoryWorld world = new InMemoryWorld(SEED, 1, PORT_SLOTS);
        world.addPop(POP_A, "a");
        world.addPop(POP_B, "b");
        world.addPop(POP_C, "c");
        world.link(POP_A, POP_B).delayNs(TimeUnit.MILLISECONDS.toNanos(5));
        world.link(POP_B, POP_C).delayNs(TimeUnit.MILLISECONDS.toNanos(5));
        world.link(POP_A, POP_C).delayNs(TimeUnit.MILLISECONDS.toNanos(20));
        world.addService(new Service(SERVICE_WEB, "web", Vip.of(InMemoryWorld.ipv4(VIP), IpProtocol.TCP, 80), POP_C,
            List.of(new Backend(1, "b1", InMemoryWorld.ipv4(BACKEND_1), 8080, 1)), 0));
        world.addService(new Service(SERVICE_DNS, "dns", Vip.of(InMemoryWorld.ipv4(VIP), IpProtocol.UDP, 53), POP_C,
            List.of(new Backend(1, "b1", InMemoryWorld.ipv4(BACKEND_1), 0, 1),
                new Backend(2, "b2", InMemoryWorld.ipv4(BACKEND_2), 0, 1)), 0));
        if (ids.size() == 1)
        {
            if (POP_C != ids.get(0))
            {
                world.addRoute(3, ids.get(0), POP_C);
                if (POP_A == ids.get(0))
                {
                    world.addRoute(1, POP_A, POP_B, POP_C);
                }
            }
        }
        else if (POP_C != ids.get(0))
        {
            final List<Integer> route = new ArrayList<>();
            for (final int id : ids)
            {
                route.add(id);
                if (POP_C == id)
                {
                    break;
                }
            }
            if (POP_C != route.get(route.size() - 1))
            {
                route.add(POP_C);
            }
            world.addRoute(1, route.stream().mapToInt(Integer::intValue).toArray());
        }
        world.publish();

        final List<ReplayPop> pops = new ArrayList<>();
        for (final int id : ids)
        {
            final InMemoryWorld.WorldPop pop = world.pop(id);
            final InMemoryPort[] ports = new InMemoryPort[PortRole.COUNT];
            ports[PortRole.EDGE.id()] = pop.edge();
            ports[PortRole.BACKBONE.id()] = pop.backbone();
            ports[PortRole.ORIGIN.id()] = pop.origin();
            pops.add(new ReplayPop(id, pop.pop().name(), pop.pop().underlayIpv4(), pop.engine(), ports));
        }
        return new ReplayWorld(null, world, pops, 2048, world);
    }

    /**
     * One POP built from a validated gateway configuration, on in-memory ports carrying raw IP,
     * its peers known but simulated: what it sends them is the backbone port's output. Its keys
     * are fixed, so a replay is deterministic.
     *
     * @param config a validated configuration.
     * @return the world.
     * @throws IllegalArgumentException if the configuration does not compile.
     */
    public static ReplayWorld fromConfig(final GatewayConfig config)
    {
        final EngineConfig engineConfig = ConfigCompiler.engine(config, CONFIG_SHARD_KEY, CONFIG_FLOW_TABLE_KEY);
        final ForwardingTables tables = ConfigCompiler.tables(config, 1);
        final InetSocketAddress underlay = ConfigCompiler.localUnderlay(config);
        if (!(underlay.getAddress() instanceof final Inet4Address v4))
        {
            throw new IllegalArgumentException("replay needs an IPv4 backbone address");
        }
        final byte[] a = v4.getAddress();
        final int underlayIpv4 = ((a[0] & 0xFF) << 24) | ((a[1] & 0xFF) << 16) | ((a[2] & 0xFF) << 8) | (a[3] & 0xFF);
        final CachedNanoClock clock = new CachedNanoClock();
        clock.update(1_000_000_000L);
        final InMemoryPort[] ports = new InMemoryPort[PortRole.COUNT];
        for (final PortRole role : PortRole.values())
        {
            ports[role.id()] = new InMemoryPort(role.label(), false, PORT_SLOTS, engineConfig.slotSize());
        }
        final CountersManager counters = new CountersManager(
            new UnsafeBuffer(ByteBuffer.allocateDirect(1 << 20)), new UnsafeBuffer(ByteBuffer.allocateDirect(1 << 18)));
        final PopEngine engine = new PopEngine(engineConfig, ports.clone(), new SnapshotPublisher<>(tables),
            counters, clock);
        final ReplayPop pop = new ReplayPop(config.pop().id(), config.pop().name(), underlayIpv4, engine, ports);
        return new ReplayWorld(clock, null, List.of(pop), engineConfig.slotSize(), engine);
    }

    /**
     * @return the POPs packets pass, in order; the replay enters the first.
     */
    public List<ReplayPop> chain()
    {
        return chain;
    }

    /**
     * @return the clock every POP reads, in ns.
     */
    public long nowNs()
    {
        return null != world ? world.nowNs() : clock.nanoTime();
    }

    /**
     * Moves the clock forward (never back).
     *
     * @param nowNs the new time, ns.
     */
    public void advanceTo(final long nowNs)
    {
        final long delta = nowNs - nowNs();
        if (delta > 0)
        {
            if (null != world)
            {
                world.advanceNs(delta);
            }
            else
            {
                clock.advance(delta);
            }
        }
    }

    /**
     * @return the longest frame a port takes: the slot size less the headroom.
     */
    public int maxFrameLength()
    {
        return slotSize - 128;
    }

    @Override
    public void close()
    {
        try
        {
            owner.close();
        }
        catch (final Exception ex)
        {
            throw new IllegalStateException(ex);
        }
    }
}
