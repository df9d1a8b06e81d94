package io.flyover.dataplane.world;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.PriorityQueue;
import java.util.SplittableRandom;

import org.agrona.BufferUtil;
import org.agrona.DirectBuffer;
import org.agrona.concurrent.CachedNanoClock;
import org.agrona.concurrent.UnsafeBuffer;
import org.agrona.concurrent.status.CountersManager;

import io.flyover.dataplane.engine.EngineConfig;
import io.flyover.dataplane.engine.InMemoryPort;
import io.flyover.dataplane.engine.PipelineConfig;
import io.flyover.dataplane.engine.PopEngine;
import io.flyover.dataplane.engine.Port;
import io.flyover.dataplane.engine.PortRole;
import io.flyover.dataplane.flow.FlowTableConfig;
import io.flyover.dataplane.table.BackboneKey;
import io.flyover.dataplane.table.ForwardingTables;
import io.flyover.dataplane.table.KeyRing;
import io.flyover.dataplane.table.PathTable;
import io.flyover.dataplane.table.Pop;
import io.flyover.dataplane.table.Route;
import io.flyover.dataplane.table.Service;
import io.flyover.dataplane.table.SnapshotPublisher;
import io.flyover.dataplane.table.WeightedRoute;

/**
 * N POPs in one process on a simulated clock, joined by backbone links with programmable delay,
 * loss and up/down; each POP a real {@link PopEngine} on in-memory ports. Clients and backends
 * are whatever the harness injects at the edge and origin ports. What tests, the demo and the
 * simulator build on. Single-threaded: the harness drives it with {@link #step()} and
 * {@link #advanceNs(long)}.
 */
public final class InMemoryWorld implements AutoCloseable
{
    private static final int DEFAULT_PORT_SLOTS = 1 << 14;
    private static final int SLOT_SIZE = 2048;

    private final int portSlots;
    private final CachedNanoClock clock = new CachedNanoClock();
    private final SplittableRandom random;
    private final EngineConfig engineConfig;
    private final BackboneKey key;
    private final Map<Integer, WorldPop> pops = new HashMap<>();
    private final Map<Integer, WorldPop> popsByUnderlay = new HashMap<>();
    private final Map<Long, Link> links = new HashMap<>();
    private final List<Service> services = new ArrayList<>();
    private final Map<Integer, Map<Integer, List<WeightedRoute>>> routes = new HashMap<>();
    private final PriorityQueue<InFlight> inFlight = new PriorityQueue<>();
    private final UnsafeBuffer scratch = new UnsafeBuffer(new byte[SLOT_SIZE]);
    private final Map<Integer, Map<Integer, Host>> clients = new HashMap<>();
    private final Map<Integer, Map<Integer, Host>> backends = new HashMap<>();
    private long sequence;
    private long version;
    private long backboneLost;
    private long undeliverable;

    /**
     * @param seed    seeds link loss.
     * @param workers worker shards per POP.
     */
    public InMemoryWorld(final long seed, final int workers)
    {
        this(seed, workers, FlowTableConfig.defaults().withCapacity(1 << 16), DEFAULT_PORT_SLOTS);
    }

    /**
     * @param seed      seeds link loss.
     * @param workers   worker shards per POP.
     * @param flowTable every shard's flow table (capacity, timeouts, eviction policy).
     */
    public InMemoryWorld(final long seed, final int workers, final FlowTableConfig flowTable)
    {
        this(seed, workers, flowTable, DEFAULT_PORT_SLOTS);
    }

    /**
     * @param seed      seeds link loss.
     * @param workers   worker shards per POP.
     * @param portSlots slots of each in-memory port ring, a power of two (a harness that drains
     *                  every step needs few; each slot is 2 KiB off-heap).
     */
    public InMemoryWorld(final long seed, final int workers, final int portSlots)
    {
        this(seed, workers, FlowTableConfig.defaults().withCapacity(1 << 16), portSlots);
    }

    /**
     * @param seed      seeds link loss.
     * @param workers   worker shards per POP.
     * @param flowTable every shard's flow table (capacity, timeouts, eviction policy).
     * @param portSlots slots of each in-memory port ring, a power of two.
     */
    public InMemoryWorld(final long seed, final int workers, final FlowTableConfig flowTable, final int portSlots)
    {
        this.portSlots = portSlots;
        this.random = new SplittableRandom(seed);
        this.engineConfig = new EngineConfig(workers, 1024, SLOT_SIZE, 64, flowTable,
            PipelineConfig.defaults(0x5EED_F10E_0000_0001L), seed ^ 0x1234, seed ^ 0x5678, 1 << 20);
        this.key = new BackboneKey(1, 0x0706050403020100L ^ seed, 0x0F0E0D0C0B0A0908L);
        clock.update(1_000_000_000L);
    }

    /**
     * One POP of the world.
     *
     * @param pop      its table entry.
     * @param engine   its engine.
     * @param edge     its edge port (clients).
     * @param backbone its backbone port.
     * @param origin   its origin port (backends).
     * @param tables   where its snapshots are published.
     */
    public record WorldPop(
        Pop pop,
        PopEngine engine,
        InMemoryPort edge,
        InMemoryPort backbone,
        InMemoryPort origin,
        SnapshotPublisher<ForwardingTables> tables)
    {
    }

    /**
     * A backbone link between two POPs (both directions).
     */
    public static final class Link
    {
        private long delayNs;
        private double loss;
        private boolean up = true;
        private long carried;
        private long lost;

        /**
         * @param delayNs one-way delay.
         * @return this link.
         */
        public Link delayNs(final long delayNs)
        {
            this.delayNs = delayNs;
            return this;
        }

        /**
         * @param loss probability, 0..1, that a packet is lost.
         * @return this link.
         */
        public Link loss(final double loss)
        {
            this.loss = loss;
            return this;
        }

        /**
         * @param up {@code false} cuts the link silently: packets vanish, nobody is told.
         * @return this link.
         */
        public Link up(final boolean up)
        {
            this.up = up;
            return this;
        }

        /**
         * @return packets carried.
         */
        public long carried()
        {
            return carried;
        }

        /**
         * @return packets lost (loss or cut).
         */
        public long lost()
        {
            return lost;
        }
    }

    private record InFlight(long dueNs, long sequence, int toPop, byte[] bytes) implements Comparable<InFlight>
    {
        @Override
        public int compareTo(final InFlight other)
        {
            final int byTime = Long.compare(dueNs, other.dueNs);
            return 0 != byTime ? byTime : Long.compare(sequence, other.sequence);
        }
    }

    /**
     * @return the simulated clock, in ns.
     */
    public long nowNs()
    {
        return clock.nanoTime();
    }

    /**
     * Moves the simulated clock.
     *
     * @param deltaNs how far.
     */
    public void advanceNs(final long deltaNs)
    {
        clock.advance(deltaNs);
    }

    /**
     * Adds a POP; its underlay address is {@code 10.255.0.id} (never on any wire: in-memory).
     *
     * @param id   POP id.
     * @param name its name.
     * @return the POP.
     */
    public WorldPop addPop(final int id, final String name)
    {
        final InetAddress underlay = ipv4((10 << 24) | (255 << 16) | id);
        final Pop pop = new Pop(id, name, new InetSocketAddress(underlay, 6081), new KeyRing(key.keyId(), List.of(key)));
        final InMemoryPort edge = new InMemoryPort("edge", false, portSlots, SLOT_SIZE);
        final InMemoryPort backbone = new InMemoryPort("backbone", false, portSlots, SLOT_SIZE);
        final InMemoryPort origin = new InMemoryPort("origin", false, portSlots, SLOT_SIZE);
        final SnapshotPublisher<ForwardingTables> tables = new SnapshotPublisher<>(
            ForwardingTables.build(0, id, List.of(pop), List.of(), List.of()));
        final CountersManager counters = new CountersManager(
            new UnsafeBuffer(BufferUtil.allocateDirectAligned(1 << 20, 64)),
            new UnsafeBuffer(BufferUtil.allocateDirectAligned(1 << 18, 64)));
        final Port[] ports = new Port[PortRole.COUNT];
        ports[PortRole.EDGE.id()] = edge;
        ports[PortRole.BACKBONE.id()] = backbone;
        ports[PortRole.ORIGIN.id()] = origin;
        final PopEngine engine = new PopEngine(engineConfig, ports, tables, counters, clock);
        final WorldPop worldPop = new WorldPop(pop, engine, edge, backbone, origin, tables);
        pops.put(id, worldPop);
        popsByUnderlay.put(pop.underlayIpv4(), worldPop);
        return worldPop;
    }

    /**
     * @param id a POP id.
     * @return the POP.
     */
    public WorldPop pop(final int id)
    {
        return pops.get(id);
    }

    /**
     * Joins two POPs with a link (or returns the existing one).
     *
     * @param a one POP id.
     * @param b the other.
     * @return the link, to set its delay, loss and state.
     */
    public Link link(final int a, final int b)
    {
        return links.computeIfAbsent(linkKey(a, b), k -> new Link());
    }

    /**
     * Adds a service, known to every POP.
     *
     * @param service the service.
     */
    public void addService(final Service service)
    {
        services.add(service);
    }

    /**
     * Replaces the service with the same id (publish to apply).
     *
     * @param service the new version of the service.
     */
    public void replaceService(final Service service)
    {
        services.removeIf(existing -> existing.id() == service.id());
        services.add(service);
    }

    /**
     * Puts a client behind a POP's edge: the world hands it the packets the edge sends to its
     * address, and its answers enter the edge. A POP with hosts on a side has that side's port
     * drained by the world on every step.
     *
     * @param popId the POP.
     * @param host  the client.
     * @return where the client sends (the POP's edge).
     */
    public Host.Wire attachClient(final int popId, final Host host)
    {
        clients.computeIfAbsent(popId, k -> new HashMap<>()).put(host.address(), host);
        final InMemoryPort edge = pops.get(popId).edge();
        return edge::inject;
    }

    /**
     * Puts a backend behind a POP's origin (see {@link #attachClient}).
     *
     * @param popId the POP.
     * @param host  the backend.
     * @return where the backend sends (the POP's origin).
     */
    public Host.Wire attachBackend(final int popId, final Host host)
    {
        backends.computeIfAbsent(popId, k -> new HashMap<>()).put(host.address(), host);
        final InMemoryPort origin = pops.get(popId).origin();
        return origin::inject;
    }

    /**
     * @return packets a POP sent toward hosts that no attached host has the address of.
     */
    public long undeliverable()
    {
        return undeliverable;
    }

    /**
     * Adds a static route from an ingress POP to an egress POP.
     *
     * @param weight share of new flows among the pair's routes.
     * @param pops   the route: ingress POP, relays, egress POP.
     */
    public void addRoute(final int weight, final int... pops)
    {
        final Route route = Route.of(pops);
        routes.computeIfAbsent(pops[0], k -> new HashMap<>())
            .computeIfAbsent(pops[pops.length - 1], k -> new ArrayList<>())
            .add(new WeightedRoute(route, weight));
    }

    /**
     * Drops the static routes between two POPs (before adding new ones and publishing).
     *
     * @param ingress ingress POP id.
     * @param egress  egress POP id.
     */
    public void clearRoutes(final int ingress, final int egress)
    {
        routes.getOrDefault(ingress, Map.of()).remove(egress);
    }

    /**
     * Builds every POP's forwarding snapshot from the world's POPs, services and routes and
     * publishes it.
     */
    public void publish()
    {
        version++;
        final List<Pop> allPops = new ArrayList<>();
        for (final WorldPop worldPop : pops.values())
        {
            allPops.add(worldPop.pop());
        }
        for (final WorldPop worldPop : pops.values())
        {
            final List<PathTable> tables = new ArrayList<>();
            for (final Map.Entry<Integer, List<WeightedRoute>> e :
                routes.getOrDefault(worldPop.pop().id(), Map.of()).entrySet())
            {
                tables.add(PathTable.build(e.getKey(), e.getValue()));
            }
            worldPop.tables().publish(
                ForwardingTables.build(version, worldPop.pop().id(), allPops, services, tables));
        }
    }

    /**
     * One duty cycle of every POP, then the backbone: frames sent onto links, and frames whose
     * delay has passed delivered.
     *
     * @return work done.
     */
    public int step()
    {
        int work = 0;
        for (final WorldPop worldPop : pops.values())
        {
            work += worldPop.engine().doWork();
        }
        for (final WorldPop worldPop : pops.values())
        {
            final int fromId = worldPop.pop().id();
            work += worldPop.backbone().drain((buffer, offset, length) -> send(fromId, buffer, offset, length), 1024);
        }
        for (final Map.Entry<Integer, Map<Integer, Host>> e : clients.entrySet())
        {
            work += deliver(pops.get(e.getKey()).edge(), e.getValue());
        }
        for (final Map.Entry<Integer, Map<Integer, Host>> e : backends.entrySet())
        {
            work += deliver(pops.get(e.getKey()).origin(), e.getValue());
        }
        final long now = clock.nanoTime();
        while (!inFlight.isEmpty() && inFlight.peek().dueNs() <= now)
        {
            final InFlight frame = inFlight.poll();
            scratch.putBytes(0, frame.bytes());
            if (!pops.get(frame.toPop()).backbone().inject(scratch, 0, frame.bytes().length))
            {
                backboneLost++;
            }
            work++;
        }
        return work;
    }

    /**
     * Steps until nothing moves and nothing is in flight, advancing the clock to the next
     * delivery when only delayed frames remain.
     *
     * @param maxSteps bound on the steps taken.
     * @return steps taken.
     */
    public int settle(final int maxSteps)
    {
        int steps = 0;
        while (steps < maxSteps)
        {
            steps++;
            final int work = step();
            if (0 == work)
            {
                if (inFlight.isEmpty())
                {
                    break;
                }
                final long wait = inFlight.peek().dueNs() - clock.nanoTime();
                if (wait > 0)
                {
                    clock.advance(wait);
                }
            }
        }
        return steps;
    }

    /**
     * @return backbone frames that arrived to a full inbound ring.
     */
    public long backboneLost()
    {
        return backboneLost;
    }

    private int deliver(final InMemoryPort port, final Map<Integer, Host> hosts)
    {
        final Host.Wire wire = port::inject;
        return port.drain((buffer, offset, length) ->
        {
            final Host host = length >= 20 && 4 == (buffer.getByte(offset) & 0xFF) >>> 4 ?
                hosts.get(buffer.getInt(offset + 16, java.nio.ByteOrder.BIG_ENDIAN)) : null;
            if (null == host)
            {
                undeliverable++;
            }
            else
            {
                host.onPacket(buffer, offset, length, wire);
            }
        }, 1024);
    }

    private void send(final int fromId, final DirectBuffer buffer, final int offset, final int length)
    {
        final int dst = buffer.getInt(offset + 16, java.nio.ByteOrder.BIG_ENDIAN);
        final WorldPop to = popsByUnderlay.get(dst);
        final Link link = null == to ? null : links.get(linkKey(fromId, to.pop().id()));
        if (null == link || !link.up || (link.loss > 0 && random.nextDouble() < link.loss))
        {
            if (null != link)
            {
                link.lost++;
            }
            else
            {
                backboneLost++;
            }
            return;
        }
        link.carried++;
        final byte[] bytes = new byte[length];
        buffer.getBytes(offset, bytes);
        inFlight.add(new InFlight(clock.nanoTime() + link.delayNs, sequence++, to.pop().id(), bytes));
    }

    private static long linkKey(final int a, final int b)
    {
        return ((long)Math.min(a, b) << 32) | Math.max(a, b);
    }

    /**
     * @param address an IPv4 address as an int.
     * @return it as an {@link InetAddress}.
     */
    public static InetAddress ipv4(final int address)
    {
        try
        {
            return InetAddress.getByAddress(new byte[] {
                (byte)(address >>> 24), (byte)(address >>> 16), (byte)(address >>> 8), (byte)address});
        }
        catch (final UnknownHostException ex)
        {
            throw new IllegalArgumentException(ex);
        }
    }

    @Override
    public void close()
    {
        for (final WorldPop worldPop : pops.values())
        {
            worldPop.engine().close();
        }
    }
}
