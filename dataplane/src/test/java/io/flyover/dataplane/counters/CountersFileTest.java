package io.flyover.dataplane.counters;

import io.flyover.dataplane.AllocationMeter;
import io.flyover.dataplane.flow.FlowKey;
import io.flyover.dataplane.flow.FlowKind;
import io.flyover.dataplane.flow.FlowState;
import io.flyover.dataplane.flow.FlowTable;
import io.flyover.dataplane.flow.FlowTableConfig;
import io.flyover.dataplane.flow.FlowEndHandler;
import io.flyover.dataplane.protocol.ParseVerdict;
import org.agrona.concurrent.status.CountersReader;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.io.RandomAccessFile;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class CountersFileTest
{
    @TempDir
    Path directory;

    @Test
    void shouldShowPublishedDropsToASecondMapping()
    {
        try (CountersFile file = CountersFile.create(directory, 1024))
        {
            final DropCounters worker0 = new DropCounters(file.countersManager(), 0);
            final DropCounters worker1 = new DropCounters(file.countersManager(), 1);

            worker0.drop(DropReason.NO_SERVICE);
            worker0.drop(DropReason.NO_SERVICE);
            worker0.parseFault(ParseVerdict.TCP_TRUNCATED);
            worker0.parseFault(ParseVerdict.IPV6_FRAGMENT);
            worker1.drop(DropReason.RING_FULL.id());

            try (CountersView view = CountersView.open(file.path()))
            {
                assertEquals(0, view.value("drop.no_service worker=0"), "nothing is visible before a publish");

                assertEquals(3, worker0.publish());
                assertEquals(1, worker1.publish());
                assertEquals(0, worker0.publish(), "unchanged counters are not rewritten");

                assertEquals(2, view.value("drop.no_service worker=0"));
                assertEquals(1, view.value("drop.parse_tcp_truncated worker=0"));
                assertEquals(1, view.value("drop.fragment_v6 worker=0"));
                assertEquals(0, view.value("drop.no_service worker=1"));
                assertEquals(1, view.value("drop.ring_full worker=1"));
                assertEquals(ProcessHandle.current().pid(), view.pid());
                assertTrue(view.startTimeMs() > 0);

                worker0.drop(DropReason.NO_SERVICE);
                worker0.publish();
                assertEquals(3, view.value("drop.no_service worker=0"));
            }
        }
    }

    @Test
    void shouldListEveryDropReasonInStableOrderWithKeys()
    {
        try (CountersFile file = CountersFile.create(directory, 1024))
        {
            final DropCounters drops = new DropCounters(file.countersManager(), 7);
            try (CountersView view = CountersView.open(file.path()))
            {
                final List<String> labels = new ArrayList<>(view.labelsToValues().keySet());
                final List<String> expected = new ArrayList<>();
                for (int id = 0; id < DropReason.ID_LIMIT; id++)
                {
                    if (null != DropReason.labelOf(id))
                    {
                        expected.add("drop." + DropReason.labelOf(id) + " worker=7");
                    }
                }
                assertEquals(expected, labels);
                assertEquals("drop.no_service worker=7", labels.get(0));

                final int counterId = view.findCounterId(CounterType.DROP_REASON, 7, DropReason.TUNNEL_BAD_TAG.id());
                assertEquals(drops.block().counterId(DropReason.TUNNEL_BAD_TAG.id()), counterId);
                assertEquals(CountersReader.NULL_COUNTER_ID, view.findCounterId(CounterType.DROP_REASON, 8, 1));
                assertEquals(CounterType.DROP_REASON.typeId(), view.reader().getCounterTypeId(counterId));
            }
        }
    }

    @Test
    void shouldPublishVerdictsAndFlowTableCounters()
    {
        try (CountersFile file = CountersFile.create(directory, 256);
            FlowTable table = new FlowTable(FlowTableConfig.defaults().withCapacity(64), 1, FlowEndHandler.NO_OP))
        {
            final CounterBlock verdicts = new CounterBlock(file.countersManager(), CounterType.VERDICT, 0);
            final CounterBlock flows = new CounterBlock(file.countersManager(), CounterType.FLOW_TABLE, 0);
            final FlowKey key = new FlowKey().ipv4(FlowKind.INGRESS, 17, 1, 2, 3, 4);
            table.lookup(key, table.hash(key));
            table.insert(key, table.hash(key), FlowState.UDP, 0);
            table.lookup(key, table.hash(key));
            verdicts.increment(Verdict.FORWARD.id());
            verdicts.add(Verdict.DROP.id(), 5);

            table.copyCountersTo(flows);
            verdicts.publish();
            flows.publish();

            try (CountersView view = CountersView.open(file.path()))
            {
                final Map<String, Long> values = view.labelsToValues();
                assertEquals(1L, values.get("verdict.forward worker=0"));
                assertEquals(5L, values.get("verdict.drop worker=0"));
                assertEquals(0L, values.get("verdict.punt worker=0"));
                assertEquals(1L, values.get("flow.inserts worker=0"));
                assertEquals(1L, values.get("flow.hits worker=0"));
                assertEquals(1L, values.get("flow.misses worker=0"));
                assertEquals(1L, values.get("flow.active worker=0"));
                assertEquals(0L, values.get("flow.full worker=0"));
            }
        }
    }

    @Test
    void shouldBeReadableFromAnotherProcess() throws IOException, InterruptedException
    {
        try (CountersFile file = CountersFile.create(directory, 512))
        {
            final DropCounters drops = new DropCounters(file.countersManager(), 2);
            drops.drop(DropReason.TUNNEL_UNKNOWN_KEY);
            drops.drop(DropReason.MTU_EXCEEDED);
            drops.drop(DropReason.MTU_EXCEEDED);
            drops.drop(DropReason.MTU_EXCEEDED);
            drops.publish();

            final List<String> command = new ArrayList<>();
            command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
            for (final String argument : ManagementFactory.getRuntimeMXBean().getInputArguments())
            {
                if (argument.startsWith("--add-") || argument.startsWith("--enable-native-access") ||
                    argument.startsWith("--sun-misc-unsafe"))
                {
                    command.add(argument);
                }
            }
            command.add("-cp");
            command.add(System.getProperty("java.class.path"));
            command.add(CountersDump.class.getName());
            command.add(file.path().toString());

            final Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
            final String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            assertTrue(process.waitFor(60, TimeUnit.SECONDS));
            assertEquals(0, process.exitValue(), output);
            assertTrue(output.contains("drop.tunnel_unknown_key worker=2=1\n"), output);
            assertTrue(output.contains("drop.mtu_exceeded worker=2=3\n"), output);
            assertTrue(output.contains("drop.no_service worker=2=0\n"), output);
        }
    }

    @Test
    void shouldRefuseFilesThatAreNotCountersOrOfAnotherVersion() throws IOException
    {
        final Path path;
        try (CountersFile file = CountersFile.create(directory, 16))
        {
            path = file.path();
        }
        try (CountersView view = CountersView.open(path))
        {
            assertNotEquals(0, view.pid());
        }

        try (RandomAccessFile raf = new RandomAccessFile(path.toFile(), "rw"))
        {
            raf.seek(CountersFileDescriptor.LAYOUT_VERSION_OFFSET);
            raf.write(new byte[]{99, 0, 0, 0});
        }
        assertThrows(IllegalStateException.class, () -> CountersView.open(path));

        try (RandomAccessFile raf = new RandomAccessFile(path.toFile(), "rw"))
        {
            raf.seek(CountersFileDescriptor.LAYOUT_VERSION_OFFSET);
            raf.write(new byte[]{0, 0, 0, 0});
        }
        assertThrows(IllegalStateException.class, () -> CountersView.open(path), "not ready");

        final Path other = directory.resolve("other.dat");
        Files.write(other, new byte[256]);
        assertThrows(IllegalStateException.class, () -> CountersView.open(other));
    }

    @Test
    void shouldCreateTheFileInItsDirectoryAndReplaceAnOldOne()
    {
        final Path nested = directory.resolve("a/b");
        try (CountersFile first = CountersFile.create(nested, 256))
        {
            new DropCounters(first.countersManager(), 0).drop(DropReason.NO_ROUTE);
            assertEquals(nested.resolve(CountersFileDescriptor.FILE_NAME), first.path());
        }
        try (CountersFile second = CountersFile.create(nested, 1024);
            CountersView view = CountersView.open(second.path()))
        {
            assertEquals(Map.of(), view.labelsToValues());
        }
    }

    @Test
    void shouldBumpAndPublishWithoutAllocating()
    {
        try (CountersFile file = CountersFile.create(directory, 1024))
        {
            final DropCounters drops = new DropCounters(file.countersManager(), 0);
            final long bytes = AllocationMeter.bytesAllocatedBy(() ->
            {
                for (int i = 0; i < 10_000; i++)
                {
                    drops.drop(DropReason.NO_BACKEND);
                    drops.parseFault(ParseVerdict.GENEVE_TRUNCATED);
                    drops.drop(1 + (i % 19));
                    if ((i & 63) == 0)
                    {
                        drops.publish();
                    }
                }
            });
            assertEquals(0, bytes);
        }
    }
}
