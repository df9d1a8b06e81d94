package io.flyover.optimizer.linkstate;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * Loads a latency matrix CSV ({@code src,dst,rtt_ms[,rtt_std_ms]}, names like {@code n17}) into a
 * graph, both directions per line; POP id = node number + 1.
 */
final class LatencyMatrix
{
    private LatencyMatrix()
    {
    }

    static Path wonderproxy100()
    {
        final String root = System.getProperty("flyover.root", "..");
        final Path[] candidates = {
            Path.of(root, "..", "shared", "data", "latency", "wonderproxy-100.csv"),
            Path.of("/work/shared/data/latency/wonderproxy-100.csv")};
        for (final Path candidate : candidates)
        {
            if (Files.isReadable(candidate))
            {
                return candidate;
            }
        }
        return null;
    }

    static LinkStateGraph load(final Path csv) throws IOException
    {
        final LinkStateGraph graph = new LinkStateGraph();
        final List<String> lines = Files.readAllLines(csv);
        for (int i = 1; i < lines.size(); i++)
        {
            final String[] fields = lines.get(i).trim().split(",");
            if (fields.length < 3)
            {
                continue;
            }
            final int a = popOf(fields[0]);
            final int b = popOf(fields[1]);
            final int rttUs = (int)Math.round(Double.parseDouble(fields[2]) * 1000);
            graph.onUndirectedLinkState(a, b, rttUs, 0, 0);
        }
        return graph;
    }

    static int popOf(final String name)
    {
        return Integer.parseInt(name.replaceAll("[^0-9]", "")) + 1;
    }
}
