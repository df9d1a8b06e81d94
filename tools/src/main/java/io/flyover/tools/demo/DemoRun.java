package io.flyover.tools.demo;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;

import io.flyover.dataplane.lb.Backend;
import io.flyover.dataplane.protocol.IpProtocol;
import io.flyover.dataplane.table.PathTable;
import io.flyover.dataplane.table.Route;
import io.flyover.dataplane.table.Service;
import io.flyover.dataplane.table.Vip;
import io.flyover.dataplane.table.WeightedRoute;
import io.flyover.dataplane.world.Host;
import io.flyover.dataplane.world.InMemoryWorld;
import io.flyover.dataplane.world.TcpHost;
import io.flyover.dataplane.world.UdpEchoHost;
import io.flyover.optimizer.control.ControlPlaneConfig;
import io.flyover.optimizer.control.WorldControl;
import io.flyover.optimizer.journal.OptimizerJournal;

/**
 * One demo run: the {@link DemoModel}'s POPs as an {@link InMemoryWorld} (real engines, real
 * packets over in-memory ports), one control plane per POP ({@link WorldControl}: the real
 * optimizer with its defaults, probing over the engines' Geneve OAM), clients in every city but the region sending UDP flows and opening TCP
 * transfers to one service whose backends sit behind the region's POP. The simulated clock moves
 * 1 ms per tick; the run takes as long as the CPU needs, not the simulated time.
 * <p>
 * Single-threaded and deterministic for a seed.
 */
public final class DemoRun
{
    /** The service's anycast address, 203.0.113.10. */
    static final int VIP = 0xCB00710A;
    /** UDP echo service port. */
    static final int UDP_PORT = 7;
    /** TCP service port. */
    static final int TCP_PORT = 80;
    /** UDP echo backend, 10.1.0.5. */
    static final int UDP_BACKEND = 0x0A010005;
    /** TCP backend, 10.1.0.6. */
    static final int TCP_BACKEND = 0x0A010006;
    /** Concurrent UDP flows per city. */
    static final int FLOWS_PER_CITY = 6;
    /** Mean UDP flow duration. */
    static final double MEAN_FLOW_S = 12.0;
    /** One ping per flow this often. */
    static final long PING_INTERVAL_NS = 100_000_000L;
    /** A TCP transfer per city this often. */
    static final long TCP_INTERVAL_NS = 2_000_000_000L;
    /** TCP response size. */
    static final int TCP_RESPONSE_BYTES = 8 * 1024;
    /** Simulated time per tick. */
    static final long TICK_NS = 1_000_000L;
    /** Series bucket. */
    static final long BUCKET_NS = 500_000_000L;
    /** How often the model is applied to the world's links. */
    static final long MODEL_NS = 10_000_000L;
    /** How often progress is reported. */
    static final long PROGRESS_NS = 250_000_000L;
    /** A flow counts as kept if answered within this long after the cut. */
    static final long KEEP_WINDOW_NS = 2_000_000_000L;

    /** Receives progress on the run's thread. */
    @FunctionalInterface
    public interface Progress
    {
        /**
         * @param status what is happening now.
         */
        void onProgress(Status status);
    }

    /**
     * A progress report.
     *
     * @param nowS       simulated time.
     * @param totalS     length of the run.
     * @param flyoverMs  mean RTT via Flyover over the last second (NaN if none).
     * @param directMs   mean RTT of the direct Internet path over the same pings.
     * @param flows      active UDP flows.
     * @param event      the episode under way, or empty.
     * @param routes     per city, its main route to the region, e.g. "SYD>SIN>MUM>FRA".
     */
    public record Status(double nowS, double totalS, double flyoverMs, double directMs, int flows, String event, List<String> routes)
    {
    }

    private final DemoModel model;
    private final long seed;
    private final SplittableRandom flowRandom;
    private final SplittableRandom directLossRandom;
    private final List<Flow> flows = new ArrayList<>();
    private final List<Flow> active = new ArrayList<>();
    private final List<TcpHost> tcpClients = new ArrayList<>();
    private final List<Long> tcpStartNs = new ArrayList<>();
    private final PingClient[] clients;
    private final Host.Wire[] wires;
    private final DemoStats stats;
    private InMemoryWorld world;
    private WorldControl controls;
    private long startNs;
    private int nextPort = 20_000;
    private int tcpSerial;

    /**
     * @param model the network.
     * @param seed  seeds flows, loss and the control planes.
     */
    public DemoRun(final DemoModel model, final long seed)
    {
        this.model = model;
        this.seed = seed;
        this.flowRandom = new SplittableRandom(seed ^ 0x243F6A8885A308D3L);
        this.directLossRandom = new SplittableRandom(seed ^ 0x13198A2E03707344L);
        this.clients = new PingClient[model.pops() + 1];
        this.wires = new Host.Wire[model.pops() + 1];
        this.stats = new DemoStats(model);
    }

    /**
     * Runs the whole demo.
     *
     * @param progress receives a status every simulated {@value #PROGRESS_NS} ns.
     * @return what it measured.
     */
    public DemoResult run(final Progress progress)
    {
        world = new InMemoryWorld(seed, 1);
        try
        {
            build();
            controls = new WorldControl(world);
            for (final DemoCity city : DemoCity.ALL)
            {
                controls.attach(city.id(), ControlPlaneConfig.defaults(seed * 1_000_003L + city.id()), OptimizerJournal.NONE);
            }
            startNs = world.nowNs();
            setClientClocks();
            final long durationNs = model.durationNs();
            long nextTcpNs = DemoModel.WARMUP_NS;
            for (long t = 0; t < durationNs; t += TICK_NS)
            {
                if (t % MODEL_NS == 0)
                {
                    applyModel(t);
                }
                if (t >= DemoModel.WARMUP_NS)
                {
                    flowsAt(t);
                }
                if (t - nextTcpNs >= 0)
                {
                    startTcp(t);
                    nextTcpNs += TCP_INTERVAL_NS;
                }
                // every control plane once, then the engines and links twice: a hop waits at most half a tick
                controls.step();
                world.step();
                stats.onTables(t, world);
                if (t % PROGRESS_NS == 0)
                {
                    progress.onProgress(status(t));
                }
                world.advanceNs(TICK_NS);
                setClientClocks();
            }
            final long end = durationNs;
            for (final Flow flow : active)
            {
                flow.endNs = end;
            }
            int tcpCompleted = 0;
            int tcpStarted = 0;
            for (int i = 0; i < tcpClients.size(); i++)
            {
                if (end - tcpStartNs.get(i) >= 3_000_000_000L)
                {
                    tcpStarted++;
                    tcpCompleted += tcpClients.get(i).finished() && tcpClients.get(i).received().length == TCP_RESPONSE_BYTES ? 1 : 0;
                }
            }
            long malformed = 0;
            for (int pop = 1; pop <= model.pops(); pop++)
            {
                malformed += clients[pop] == null ? 0 : clients[pop].malformed();
            }
            long carried = 0;
            for (int a = 1; a <= model.pops(); a++)
            {
                for (int b = a + 1; b <= model.pops(); b++)
                {
                    carried += world.link(a, b).carried();
                }
            }
            return stats.result(seed, flows, tcpStarted, tcpCompleted, malformed, carried);
        }
        finally
        {
            if (controls != null)
            {
                controls.close();
            }
            world.close();
        }
    }

    private void build()
    {
        for (final DemoCity city : DemoCity.ALL)
        {
            world.addPop(city.id(), city.code());
        }
        for (int a = 1; a <= model.pops(); a++)
        {
            for (int b = a + 1; b <= model.pops(); b++)
            {
                world.link(a, b);
            }
        }
        applyModel(0);
        world.addService(new Service(1, "echo", Vip.of(InMemoryWorld.ipv4(VIP), IpProtocol.UDP, UDP_PORT), DemoCity.REGION,
            List.of(new Backend(1, "echo-1", InMemoryWorld.ipv4(UDP_BACKEND), 0, 1)), 0));
        world.addService(new Service(2, "web", Vip.of(InMemoryWorld.ipv4(VIP), IpProtocol.TCP, TCP_PORT), DemoCity.REGION,
            List.of(new Backend(1, "web-1", InMemoryWorld.ipv4(TCP_BACKEND), 8080, 1)), 0));
        world.attachBackend(DemoCity.REGION, new UdpEchoHost(UDP_BACKEND));
        final byte[] response = new byte[TCP_RESPONSE_BYTES];
        for (int i = 0; i < response.length; i++)
        {
            response[i] = (byte)('a' + i % 26);
        }
        world.attachBackend(DemoCity.REGION, TcpHost.server(TCP_BACKEND, response));
        for (final DemoCity city : DemoCity.ALL)
        {
            if (city.id() == DemoCity.REGION)
            {
                continue;
            }
            // the static fallback: the world's own link to the region
            world.addRoute(1, city.id(), DemoCity.REGION);
            final PingClient client = new PingClient(0xC6336400 | city.id(), VIP, UDP_PORT, this::onAnswer);
            clients[city.id()] = client;
            wires[city.id()] = world.attachClient(city.id(), client);
            client.wire(wires[city.id()]);
        }
        world.publish();
    }

    private void setClientClocks()
    {
        final long t = world.nowNs() - startNs;
        for (final PingClient client : clients)
        {
            if (client != null)
            {
                client.nowNs(t);
            }
        }
    }

    private void applyModel(final long t)
    {
        for (int a = 1; a <= model.pops(); a++)
        {
            for (int b = a + 1; b <= model.pops(); b++)
            {
                world.link(a, b)
                    .delayNs((long)(model.linkRttMs(a, b, t) * 1e6 / 2))
                    .loss(model.linkLoss(a, b, t))
                    .up(model.linkUp(a, b, t));
            }
        }
    }

    private void flowsAt(final long t)
    {
        for (int i = active.size() - 1; i >= 0; i--)
        {
            final Flow flow = active.get(i);
            if (t >= flow.endNs)
            {
                active.remove(i);
            }
        }
        for (final DemoCity city : DemoCity.ALL)
        {
            if (city.id() == DemoCity.REGION)
            {
                continue;
            }
            int count = 0;
            for (final Flow flow : active)
            {
                count += flow.city == city.id() ? 1 : 0;
            }
            while (count < FLOWS_PER_CITY)
            {
                final double lengthS = -Math.log(1.0 - flowRandom.nextDouble()) * MEAN_FLOW_S;
                final Flow flow = new Flow(flows.size(), city.id(), nextPort++, t,
                    t + Math.max(PING_INTERVAL_NS * 5, (long)(lengthS * 1e9)), t + flowRandom.nextLong(PING_INTERVAL_NS));
                flows.add(flow);
                active.add(flow);
                count++;
            }
        }
        for (final Flow flow : active)
        {
            if (t >= flow.nextSendNs)
            {
                final int seq = flow.sent++;
                final double direct = model.internetRttMs(flow.city, DemoCity.REGION, t);
                final boolean directLost = directLossRandom.nextDouble() < model.internetLoss(flow.city, DemoCity.REGION, t);
                stats.onSent(flow, seq, t, direct, directLost);
                clients[flow.city].send(flow.id, flow.port, seq, t);
                flow.nextSendNs += PING_INTERVAL_NS;
            }
        }
    }

    private void onAnswer(final int flowId, final int seq, final long sendNs, final long nowNs)
    {
        if (flowId < 0 || flowId >= flows.size())
        {
            return;
        }
        stats.onAnswer(flows.get(flowId), seq, sendNs, nowNs);
    }

    private void startTcp(final long t)
    {
        for (final DemoCity city : DemoCity.ALL)
        {
            if (city.id() == DemoCity.REGION)
            {
                continue;
            }
            final int address = 0xC6120000 | (city.id() << 8) | (tcpSerial % 250 + 1) | ((tcpSerial / 250) << 12);
            final TcpHost client = TcpHost.client(address, "GET / HTTP/1.0\r\n\r\n".getBytes(java.nio.charset.StandardCharsets.US_ASCII));
            final Host.Wire wire = world.attachClient(city.id(), client);
            client.connect(30_000 + tcpSerial % 20_000, VIP, TCP_PORT, wire);
            tcpClients.add(client);
            tcpStartNs.add(t);
        }
        tcpSerial++;
    }

    private Status status(final long t)
    {
        final List<String> routes = new ArrayList<>();
        for (final DemoCity city : DemoCity.ALL)
        {
            if (city.id() == DemoCity.REGION)
            {
                continue;
            }
            final PathTable table = world.pop(city.id()).tables().current().pathTable(DemoCity.REGION);
            routes.add(table == null ? city.code() + ">?" : routeName(mainRoute(table)));
        }
        String event = "";
        for (final DemoModel.Episode e : List.of(model.congestion(), model.cut()))
        {
            if (e.activeAt(t))
            {
                event = e.linkName() + ("down".equals(e.kind()) ? " cut" : " congested");
            }
        }
        final double[] recent = stats.recentMeans(t, 1_000_000_000L);
        return new Status(t / 1e9, model.durationNs() / 1e9, recent[0], recent[1], active.size(), event, routes);
    }

    static Route mainRoute(final PathTable table)
    {
        Route best = null;
        int bestWeight = -1;
        for (final WeightedRoute r : table.routes())
        {
            if (r.weight() > bestWeight)
            {
                bestWeight = r.weight();
                best = r.route();
            }
        }
        return best;
    }

    static String routeName(final Route route)
    {
        if (route == null)
        {
            return "?";
        }
        final StringBuilder sb = new StringBuilder(DemoCity.of(route.ingressPop()).code());
        for (final int hop : new int[] {route.hop1(), route.hop2(), route.hop3()})
        {
            if (hop != Route.NO_POP)
            {
                sb.append('>').append(DemoCity.of(hop).code());
            }
        }
        return sb.toString();
    }

    static boolean crosses(final Route route, final int a, final int b)
    {
        final int[] pops = {route.ingressPop(), route.hop1(), route.hop2(), route.hop3()};
        for (int i = 0; i + 1 < pops.length && pops[i + 1] != Route.NO_POP; i++)
        {
            if ((pops[i] == a && pops[i + 1] == b) || (pops[i] == b && pops[i + 1] == a))
            {
                return true;
            }
        }
        return false;
    }

    /** One UDP flow of the demo. */
    static final class Flow
    {
        final int id;
        final int city;
        final int port;
        final long startNs;
        long endNs;
        long nextSendNs;
        int sent;
        int[] sendIndex = new int[64];

        Flow(final int id, final int city, final int port, final long startNs, final long endNs, final long firstSendNs)
        {
            this.id = id;
            this.city = city;
            this.port = port;
            this.startNs = startNs;
            this.endNs = endNs;
            this.nextSendNs = firstSendNs;
        }

        void indexOf(final int seq, final int index)
        {
            if (seq >= sendIndex.length)
            {
                sendIndex = Arrays.copyOf(sendIndex, Math.max(seq + 1, sendIndex.length * 2));
            }
            sendIndex[seq] = index;
        }
    }
}
