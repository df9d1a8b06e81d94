package io.flyover.dataplane.engine;

import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import org.agrona.concurrent.BackoffIdleStrategy;
import org.agrona.concurrent.SystemNanoClock;
import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import io.flyover.dataplane.counters.CountersFile;
import io.flyover.dataplane.counters.CountersView;
import io.flyover.dataplane.flow.FlowTableConfig;
import io.flyover.dataplane.lb.Backend;
import io.flyover.dataplane.protocol.IpProtocol;
import io.flyover.dataplane.table.BackboneKey;
import io.flyover.dataplane.table.ForwardingTables;
import io.flyover.dataplane.table.KeyRing;
import io.flyover.dataplane.table.PathTable;
import io.flyover.dataplane.table.Pop;
import io.flyover.dataplane.table.Route;
import io.flyover.dataplane.table.Service;
import io.flyover.dataplane.table.SnapshotPublisher;
import io.flyover.dataplane.table.Vip;
import io.flyover.dataplane.table.WeightedRoute;
import io.flyover.dataplane.world.InMemoryWorld;
import io.flyover.dataplane.world.IpPackets;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class PopEngineThreadingTest
{
    private static final int VIP = 0xCB00710A;
    private static final int CLIENT = 0xC6336407;

    @ParameterizedTest
    @EnumSource(ThreadingMode.class)
    @Timeout(60)
    void shouldForwardOnItsOwnThreadsAndPublishCountersToAFileOthersCanRead(final ThreadingMode mode) throws Exception
    {
        final Path dir = Files.createTempDirectory("flyover-counters");
        final KeyRing keys = new KeyRing(1, List.of(new BackboneKey(1, 11, 22)));
        final Pop local = new Pop(1, "a", new InetSocketAddress(InMemoryWorld.ipv4(0x0AFF0001), 6081), keys);
        final Pop egress = new Pop(3, "c", new InetSocketAddress(InMemoryWorld.ipv4(0x0AFF0003), 6081), keys);
        final Service service = new Service(7, "dns", Vip.of(InMemoryWorld.ipv4(VIP), IpProtocol.UDP, 53), 3,
            List.of(new Backend(1, "b", InMemoryWorld.ipv4(0x0A010005), 0, 1)), 0);
        final ForwardingTables tables = ForwardingTables.build(1, 1, List.of(local, egress), List.of(service),
            List.of(PathTable.build(3, List.of(new WeightedRoute(Route.of(1, 3), 1)))));

        final InMemoryPort edge = new InMemoryPort("edge", false, 4096, 2048);
        final InMemoryPort backbone = new InMemoryPort("backbone", false, 4096, 2048);
        final InMemoryPort origin = new InMemoryPort("origin", false, 4096, 2048);
        final EngineConfig config = new EngineConfig(2, 1024, 2048, 32,
            new FlowTableConfig(1 << 14, 32, FlowTableConfig.defaults().tcpEmbryonicTimeoutNs(),
                FlowTableConfig.defaults().tcpEstablishedTimeoutNs(), FlowTableConfig.defaults().tcpClosingTimeoutNs(),
                FlowTableConfig.defaults().udpTimeoutNs(), FlowTableConfig.defaults().icmpTimeoutNs(), false),
            PipelineConfig.defaults(99), 5, 6, 1 << 16);

        final int packets = 2000;
        final WorkerAgent[] workers;
        try (CountersFile counters = CountersFile.create(dir, 4096);
            PopEngine engine = new PopEngine(config, new Port[] {edge, backbone, origin},
                new SnapshotPublisher<>(tables), counters.countersManager(), new SystemNanoClock()))
        {
            engine.start(mode, BackoffIdleStrategy::new, Throwable::printStackTrace);
            final UnsafeBuffer frame = new UnsafeBuffer(new byte[2048]);
            final UnsafeBuffer payload = new UnsafeBuffer(new byte[16]);
            // ten packets to no VIP at all: dropped, and counted in the file
            for (int i = 0; i < 10; i++)
            {
                final int length = IpPackets.udp4(frame, 0, CLIENT, 1000, VIP + 1, 53, payload, 0, 8);
                assertTrue(edge.inject(frame, 0, length));
            }
            // then flows in chunks smaller than a worker ring, so no ring overflows (that would be a counted drop)
            final AtomicInteger tunnelled = new AtomicInteger();
            final long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
            for (int sent = 0; sent < packets; )
            {
                for (int i = 0; i < 200; i++, sent++)
                {
                    final int length = IpPackets.udp4(frame, 0, CLIENT + sent, 1000 + sent, VIP, 53, payload, 0, 8);
                    assertTrue(edge.inject(frame, 0, length));
                }
                while (tunnelled.get() < sent && System.nanoTime() < deadline)
                {
                    if (0 == backbone.drain((b, o, l) -> tunnelled.incrementAndGet(), 1024))
                    {
                        Thread.sleep(1);
                    }
                }
            }
            assertEquals(packets, tunnelled.get());

            try (CountersView view = CountersView.open(dir.resolve(
                io.flyover.dataplane.counters.CountersFileDescriptor.FILE_NAME)))
            {
                long noService = 0;
                final long until = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
                while (noService < 10 && System.nanoTime() < until)
                {
                    noService = view.value("drop.no_service worker=0") + view.value("drop.no_service worker=1");
                    Thread.sleep(1);
                }
                assertEquals(10, noService);
                long forwarded = 0;
                long inserts = 0;
                while ((forwarded < packets || inserts < packets) && System.nanoTime() < until)
                {
                    forwarded = view.value("verdict.forward worker=0") + view.value("verdict.forward worker=1");
                    inserts = view.value("flow.inserts worker=0") + view.value("flow.inserts worker=1");
                    Thread.sleep(1);
                }
                assertEquals(packets, forwarded, "verdict counters in the file");
                assertEquals(packets, inserts, "flow-table counters in the file");
                assertEquals(10, view.value("verdict.drop worker=0") + view.value("verdict.drop worker=1"));
            }
            workers = engine.workers();
        }
        // the engine is closed: its threads have ended, so their plain counters are visible here
        long received = 0;
        for (final WorkerAgent worker : workers)
        {
            received += worker.counters().received();
            assertTrue(worker.counters().received() > 0, "both shards got flows");
        }
        assertEquals(packets + 10, received);
    }
}
