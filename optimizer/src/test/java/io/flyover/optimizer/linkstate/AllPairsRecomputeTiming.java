package io.flyover.optimizer.linkstate;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.nio.file.Path;

/**
 * Rough timing of an all-pairs candidate recompute on a latency matrix: not a test, not a JMH
 * benchmark; run by hand with the test classpath:
 * {@code java -cp optimizer/target/classes:optimizer/target/test-classes:$AGRONA
 * io.flyover.optimizer.linkstate.AllPairsRecomputeTiming [matrix.csv] [k] [diverse]}.
 */
public final class AllPairsRecomputeTiming
{
    private AllPairsRecomputeTiming()
    {
    }

    public static void main(final String[] args) throws Exception
    {
        final Path csv = args.length > 0 ? Path.of(args[0]) : LatencyMatrix.wonderproxy100();
        final int k = args.length > 1 ? Integer.parseInt(args[1]) : CandidatePathFinder.DEFAULT_K;
        final LinkStateGraph graph = LatencyMatrix.load(csv);
        final boolean diverse = args.length <= 2 || Boolean.parseBoolean(args[2]);
        final CandidatePathFinder finder = new CandidatePathFinder(k, CandidatePathFinder.DEFAULT_RELAY_PENALTY_NS, diverse);
        final CandidateTable table = new CandidateTable(finder);
        final long[] sink = new long[1];
        final CandidateConsumer consumer = (src, dst, rank, route, cost) -> sink[0] += route;

        for (int i = 0; i < 200; i++)
        {
            finder.findAll(graph, consumer);
        }
        final int runs = 500;
        final ThreadMXBean threads = ManagementFactory.getThreadMXBean();
        final long cpuStart = threads.getCurrentThreadCpuTime();
        long start = System.nanoTime();
        for (int i = 0; i < runs; i++)
        {
            finder.findAll(graph, consumer);
        }
        final double searchMs = (System.nanoTime() - start) / 1e6 / runs;
        final double searchCpuMs = (threads.getCurrentThreadCpuTime() - cpuStart) / 1e6 / runs;

        start = System.nanoTime();
        for (int i = 0; i < runs; i++)
        {
            graph.onLinkState(1, 2, 10_000 + (i % 2) * 5_000, 0, i);
            table.refreshAll(graph);
        }
        final double tableMs = (System.nanoTime() - start) / 1e6 / runs;

        start = System.nanoTime();
        for (int i = 0; i < runs * 10; i++)
        {
            finder.findFrom(graph, 1 + i % graph.popCount(), consumer);
        }
        final double fromOneMs = (System.nanoTime() - start) / 1e6 / (runs * 10);

        System.out.printf("POPs %d, links %d, k %d, diverse %b%n", graph.popCount(), graph.linkCount(), k, diverse);
        System.out.printf("all-pairs search: %.3f ms wall, %.3f ms CPU; all-pairs into CandidateTable: %.3f ms;" +
            " one source: %.4f ms (sink %d)%n", searchMs, searchCpuMs, tableMs, fromOneMs, sink[0] & 1);
    }
}
