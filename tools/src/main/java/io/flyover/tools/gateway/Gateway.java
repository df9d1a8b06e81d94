package io.flyover.tools.gateway;

import io.flyover.dataplane.counters.CountersFile;
import io.flyover.dataplane.counters.DropReason;
import io.flyover.dataplane.engine.EngineConfig;
import io.flyover.dataplane.engine.Port;
import io.flyover.dataplane.engine.PopEngine;
import io.flyover.dataplane.engine.PortRole;
import io.flyover.dataplane.table.ForwardingTables;
import io.flyover.dataplane.table.PathTable;
import io.flyover.dataplane.table.SnapshotPublisher;
import io.flyover.nativeio.EthernetPort;
import io.flyover.nativeio.Ipv4;
import io.flyover.nativeio.NativePorts;
import io.flyover.nativeio.NeighborTable;
import io.flyover.tools.config.ConfigDiff;
import io.flyover.tools.config.ConfigLoader;
import io.flyover.tools.config.GatewayConfig;
import io.flyover.tools.config.PeerConfig;
import io.flyover.tools.config.PortConfig;
import io.flyover.optimizer.control.ControlPlane;
import io.flyover.optimizer.journal.ChronicleJournal;
import io.flyover.optimizer.journal.JournalFormat;
import io.flyover.optimizer.journal.JournalRecord;
import io.flyover.optimizer.journal.OptimizerJournal;
import org.agrona.collections.Int2IntHashMap;
import org.agrona.concurrent.Agent;
import org.agrona.concurrent.BackoffIdleStrategy;
import org.agrona.concurrent.BusySpinIdleStrategy;
import org.agrona.concurrent.CompositeAgent;
import org.agrona.concurrent.IdleStrategy;
import org.agrona.concurrent.SleepingMillisIdleStrategy;
import org.agrona.concurrent.SystemNanoClock;
import org.agrona.concurrent.status.CountersReader;

import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.IntPredicate;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;
import java.util.function.Supplier;

/**
 * One running POP gateway: the ports, the counters file, the engine on its threads, and the
 * control-plane master copy of the configuration. {@link #reload()} validates the file again and
 * either publishes new {@link ForwardingTables} (hot changes) or rejects the reload and keeps the
 * old configuration serving. Control-plane methods are {@code synchronized} (signal thread, admin
 * HTTP thread, main thread); none of them touches the data plane except by publishing a snapshot
 * and reading counters.
 */
public final class Gateway implements AutoCloseable
{
    /** How long {@link #close()} lets workers and TX agents drain after RX stops. */
    public static final long DRAIN_MS = 200;

    private final Path configFile;
    private final long startNs = System.nanoTime();
    private final SnapshotPublisher<ForwardingTables> tables;
    private final CountersFile countersFile;
    private final PortCounters[] ports = new PortCounters[PortRole.COUNT];
    private final PopEngine engine;
    private final List<GatedAgent> rxGates = new ArrayList<>();
    private final io.flyover.dataplane.engine.AgentGroup group;
    private final AtomicLong reloadsAccepted = new AtomicLong();
    private final AtomicLong reloadsRejected = new AtomicLong();
    private final AtomicLong livenessPublishes = new AtomicLong();
    private final AtomicLong optimizerPublishes = new AtomicLong();
    private final LivenessAgent liveness; // null when the optimizer runs
    private final ControlPlane control;   // null unless the optimizer runs
    private volatile Map<Integer, PathTable> optimizerTables = Map.of();
    private final Object publishLock = new Object();
    private volatile GatewayConfig config;
    private long version; // guarded by publishLock
    private boolean closed;

    private Gateway(
        final Path configFile,
        final GatewayConfig config,
        final PortOpener opener,
        final Consumer<Throwable> errorHandler)
    {
        this.configFile = configFile;
        this.config = config;
        final SecureRandom random = new SecureRandom();
        final EngineConfig engineConfig = ConfigCompiler.engine(config, random.nextLong(), random.nextLong());
        version = 1;
        tables = new SnapshotPublisher<>(ConfigCompiler.tables(config, version));

        final Port[] opened = new Port[PortRole.COUNT];
        CountersFile counters = null;
        PopEngine built = null;
        try
        {
            final PortConfig[] portConfigs = {config.ports().edge(), config.ports().backbone(), config.ports().origin()};
            for (final PortRole role : PortRole.values())
            {
                final PortConfig portConfig = portConfigs[role.id()];
                opened[role.id()] = null == portConfig ? new AbsentPort(role.label()) : opener.open(role, portConfig);
            }
            counters = CountersFile.create(config.countersDir(), maxCounters(engineConfig.workers()));
            for (final PortRole role : PortRole.values())
            {
                ports[role.id()] = new PortCounters(opened[role.id()], role, counters.countersManager());
            }
            updatePeerPorts(config);
            built = new PopEngine(engineConfig, ports.clone(), tables, counters.countersManager(), SystemNanoClock.INSTANCE);
            final List<Agent> agents = new ArrayList<>();
            for (final PortRole role : PortRole.values())
            {
                final GatedAgent gate = new GatedAgent(built.rx(role));
                rxGates.add(gate);
                agents.add(gate);
            }
            agents.addAll(List.of(built.workers()));
            for (final PortRole role : PortRole.values())
            {
                agents.add(built.tx(role));
            }
            final PopEngine engineRef = built;
            final Agent controlAgent;
            if (config.optimizer().enabled())
            {
                this.liveness = null;
                this.control = controlPlane(config, built, random.nextLong());
                controlAgent = control;
            }
            else
            {
                this.control = null;
                this.liveness = new LivenessAgent(this::config, tables::current, built.events(),
                    engineRef::offerBackboneControlFrame, SystemNanoClock.INSTANCE, this::onLivenessChange,
                    random.nextLong());
                controlAgent = liveness;
            }
            final List<EthernetPort> ethernet = ethernetPorts();
            if (ethernet.isEmpty())
            {
                agents.add(controlAgent);
            }
            else
            {
                // the neighbor refresh is control work: it shares the control agent's thread
                final NeighborAgent neighbors = new NeighborAgent(ethernet, NeighborTable.THREAD_TABLE, SystemNanoClock.INSTANCE);
                neighbors.refresh();
                agents.add(new CompositeAgent(controlAgent, neighbors));
            }
            this.countersFile = counters;
            this.engine = built;
            this.group = new io.flyover.dataplane.engine.AgentGroup(config.threads().mode(), agents,
                idleStrategy(config), errorHandler::accept, null);
        }
        catch (final RuntimeException | Error ex)
        {
            if (null != built)
            {
                built.close();
            }
            for (final Port port : opened)
            {
                if (null != port)
                {
                    port.close();
                }
            }
            if (null != counters)
            {
                counters.close();
            }
            throw ex;
        }
    }

    /** Journal entries a start reads at most to warm the optimizer. */
    static final int WARM_UP_ENTRIES = 200_000;

    private ControlPlane controlPlane(final GatewayConfig config, final PopEngine engine, final long seed)
    {
        final long warmUpMs = config.optimizer().warmUp().toMillis();
        final List<JournalRecord> history;
        final OptimizerJournal journal;
        try
        {
            history = warmUpMs > 0 ? JournalFormat.tail(config.journalDir(), WARM_UP_ENTRIES,
                System.currentTimeMillis() - warmUpMs) : List.of();
            journal = config.optimizer().journal() ?
                new ChronicleJournal(config.journalDir(), System::currentTimeMillis,
                config.optimizer().journalRetention().toMillis()) : OptimizerJournal.NONE;
        }
        catch (final RuntimeException ex)
        {
            throw new IllegalStateException("journal-dir " + config.journalDir() + ": " + ex.getMessage(), ex);
        }
        final ControlPlane plane = new ControlPlane(ConfigCompiler.controlPlane(config, seed), tables::current,
            engine.events(), engine::offerBackboneControlFrame, SystemNanoClock.INSTANCE, this::onOptimizerTables,
            journal);
        plane.warmUp(history);
        return plane;
    }

    /**
     * Opens the ports, creates the counters file, builds the engine, publishes the first tables and
     * starts the agents.
     *
     * @param configFile   the file {@link #reload()} reads again.
     * @param config       the validated configuration loaded from it.
     * @param opener       opens each configured port.
     * @param errorHandler told of exceptions escaping an agent (bugs).
     * @return the running gateway.
     * @throws io.flyover.nativeio.NativeIoException if a device cannot be opened.
     * @throws IllegalArgumentException if the configuration does not compile.
     */
    public static Gateway start(
        final Path configFile, final GatewayConfig config, final PortOpener opener, final Consumer<Throwable> errorHandler)
    {
        return new Gateway(configFile, config, opener, errorHandler);
    }

    static int maxCounters(final int workers)
    {
        return (workers + 2 * PortRole.COUNT) * (DropReason.ID_LIMIT + 16) + PortRole.COUNT * 8 + 64;
    }

    static Supplier<IdleStrategy> idleStrategy(final GatewayConfig config)
    {
        return switch (config.threads().idle())
        {
            case BUSY_SPIN -> BusySpinIdleStrategy::new;
            case BACKOFF -> BackoffIdleStrategy::new;
            case SLEEP -> () -> new SleepingMillisIdleStrategy(1);
        };
    }

    private void updatePeerPorts(final GatewayConfig next)
    {
        final Port backbone = ports[PortRole.BACKBONE.id()].port();
        if (backbone instanceof NativePorts.UdpBackbonePort || backbone instanceof EthernetPort)
        {
            final Int2IntHashMap byAddress = new Int2IntHashMap(NativePorts.NO_PORT);
            for (final PeerConfig peer : next.peers())
            {
                byAddress.put(Ipv4.parse(peer.address().getHostAddress()), peer.port());
            }
            if (backbone instanceof final NativePorts.UdpBackbonePort udp)
            {
                udp.peerPorts(byAddress);
            }
            else
            {
                ((EthernetPort)backbone).peerPorts(byAddress);
            }
        }
    }

    /**
     * @return the ports on AF_PACKET, which frame their packets themselves.
     */
    List<EthernetPort> ethernetPorts()
    {
        final List<EthernetPort> found = new ArrayList<>();
        for (final PortCounters port : ports)
        {
            if (null != port && port.port() instanceof final EthernetPort ethernet)
            {
                found.add(ethernet);
            }
        }
        return found;
    }

    /**
     * The outcome of a reload.
     *
     * @param accepted whether the new configuration now serves.
     * @param message  what happened, one or more lines.
     */
    public record ReloadResult(boolean accepted, String message)
    {
    }

    /**
     * Reads the configuration file again; applies hot changes atomically or rejects the whole
     * reload (the old configuration keeps serving).
     *
     * @return the outcome.
     */
    public synchronized ReloadResult reload()
    {
        if (closed)
        {
            return new ReloadResult(false, "gateway is shutting down");
        }
        final ConfigLoader.Result result = ConfigLoader.load(configFile);
        if (!result.isValid())
        {
            reloadsRejected.incrementAndGet();
            return new ReloadResult(false, "reload rejected, the running configuration keeps serving:\n"
                + result.describe().stripTrailing());
        }
        final GatewayConfig next = result.config();
        final ConfigDiff diff = ConfigDiff.between(config, next);
        if (diff.needsRestart())
        {
            reloadsRejected.incrementAndGet();
            return new ReloadResult(false, diff.rejection());
        }
        if (diff.isEmpty())
        {
            reloadsAccepted.incrementAndGet();
            return new ReloadResult(true, "reload: no changes");
        }
        final long published;
        synchronized (publishLock)
        {
            final ForwardingTables compiled;
            try
            {
                compiled = ConfigCompiler.tables(next, version + 1, live(), optimizerTables);
            }
            catch (final IllegalArgumentException ex)
            {
                reloadsRejected.incrementAndGet();
                return new ReloadResult(false, "reload rejected, the running configuration keeps serving: "
                    + configFile + ": " + ex.getMessage());
            }
            version++;
            published = version;
            updatePeerPorts(next);
            tables.publish(compiled);
            config = next;
        }
        reloadsAccepted.incrementAndGet();
        final StringBuilder sb = new StringBuilder("reload applied (tables version ").append(published).append("):");
        diff.hot().forEach(change -> sb.append("\n  ").append(change));
        return new ReloadResult(true, sb.toString());
    }

    /**
     * Liveness agent thread: the set of live peers changed; recompiles the path tables from the
     * serving configuration and publishes them (version + 1). Takes only {@code publishLock}, never
     * the gateway's monitor, so {@link #close()} (which holds the monitor while it stops the agent
     * threads) cannot deadlock with it. Flows already pinned keep their route.
     */
    private void onLivenessChange()
    {
        synchronized (publishLock)
        {
            final ForwardingTables compiled;
            try
            {
                compiled = ConfigCompiler.tables(config, version + 1, liveness::isLive);
            }
            catch (final IllegalArgumentException ex)
            {
                return; // the serving configuration compiled before; keep the current tables
            }
            version++;
            tables.publish(compiled);
        }
        livenessPublishes.incrementAndGet();
    }

    private IntPredicate live()
    {
        return null == liveness ? peer -> true : liveness::isLive;
    }

    /**
     * Control-plane agent thread: the optimizer's path tables changed; lays them over the
     * configured routes and publishes (version + 1). Takes only {@code publishLock}, like
     * {@link #onLivenessChange()}. Destinations without a learned table keep their configured
     * routes, all of them (the optimizer's probes, not keepalives, say which peers answer).
     */
    private void onOptimizerTables(final Map<Integer, PathTable> learned)
    {
        synchronized (publishLock)
        {
            optimizerTables = learned;
            final ForwardingTables compiled;
            try
            {
                compiled = ConfigCompiler.tables(config, version + 1, live(), learned);
            }
            catch (final IllegalArgumentException ex)
            {
                return;
            }
            version++;
            tables.publish(compiled);
        }
        optimizerPublishes.incrementAndGet();
    }

    /**
     * @return tables published because the optimizer's path tables changed.
     */
    public long optimizerPublishes()
    {
        return optimizerPublishes.get();
    }

    /**
     * @return the control plane, or null when the optimizer is not enabled (liveness mode).
     */
    public ControlPlane control()
    {
        return control;
    }

    /**
     * Lets a reader walk the workers' flow tables while they cannot be freed: under the gateway's
     * monitor, which {@link #close()} also takes before it frees them. The reader must use only
     * {@link io.flyover.dataplane.flow.FlowTable#readConcurrently} and must be quick (it holds
     * reloads off meanwhile); the workers are never stopped or locked.
     *
     * @param reader told of every worker's table, by worker index.
     * @return false if the gateway is closing and nothing was read.
     */
    synchronized boolean readFlowTables(final java.util.function.ObjIntConsumer<io.flyover.dataplane.flow.FlowTable> reader)
    {
        if (closed)
        {
            return false;
        }
        final io.flyover.dataplane.engine.WorkerAgent[] workers = engine.workers();
        for (int w = 0; w < workers.length; w++)
        {
            reader.accept(workers[w].flows(), w);
        }
        return true;
    }

    /**
     * @return tables published because the set of live peers changed.
     */
    public long livenessPublishes()
    {
        return livenessPublishes.get();
    }

    /**
     * @return the liveness agent (peer states and counters are readable from any thread), or null
     * when the optimizer runs instead.
     */
    LivenessAgent liveness()
    {
        return liveness;
    }

    /**
     * @return the configuration serving now.
     */
    public GatewayConfig config()
    {
        return config;
    }

    /**
     * @return the tables the workers read now.
     */
    public ForwardingTables tables()
    {
        return tables.current();
    }

    /**
     * @return the counters, readable from any thread.
     */
    public CountersReader counters()
    {
        return countersFile.countersManager();
    }

    /**
     * @return where the counters file is.
     */
    public Path countersPath()
    {
        return countersFile.path();
    }

    /**
     * @return seconds since start.
     */
    public double uptimeSeconds()
    {
        return (System.nanoTime() - startNs) / 1e9;
    }

    /**
     * @return reloads applied.
     */
    public long reloadsAccepted()
    {
        return reloadsAccepted.get();
    }

    /**
     * @return reloads rejected.
     */
    public long reloadsRejected()
    {
        return reloadsRejected.get();
    }

    /**
     * @return the configuration file.
     */
    public Path configFile()
    {
        return configFile;
    }

    /**
     * Pauses the optimizer (no probes, no journal entries from the drain), stops receiving, lets
     * the workers and TX agents drain for {@link #DRAIN_MS}, stops the threads, flushes every port once more and closes it, then frees the flow tables and the
     * counters file.
     */
    @Override
    public synchronized void close()
    {
        if (closed)
        {
            return;
        }
        closed = true;
        if (null != control)
        {
            control.pause();
        }
        for (final GatedAgent gate : rxGates)
        {
            gate.shut();
        }
        try
        {
            TimeUnit.MILLISECONDS.sleep(DRAIN_MS);
        }
        catch (final InterruptedException ex)
        {
            Thread.currentThread().interrupt();
        }
        group.close();
        for (final PortCounters port : ports)
        {
            port.flush();
        }
        engine.close();
        for (final PortCounters port : ports)
        {
            port.close();
        }
        countersFile.close();
    }

    /**
     * An RX agent that can be told to stop taking frames (shutdown: drain what is inside).
     */
    private static final class GatedAgent implements Agent
    {
        private final Agent delegate;
        private volatile boolean open = true;

        GatedAgent(final Agent delegate)
        {
            this.delegate = delegate;
        }

        void shut()
        {
            open = false;
        }

        @Override
        public int doWork() throws Exception
        {
            return open ? delegate.doWork() : 0;
        }

        @Override
        public String roleName()
        {
            return delegate.roleName();
        }
    }
}
