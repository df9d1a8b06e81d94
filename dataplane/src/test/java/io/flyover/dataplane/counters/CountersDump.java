package io.flyover.dataplane.counters;

import java.nio.file.Path;
import java.util.Map;

/**
 * Prints every counter of a counters file as {@code label=value}, one per line: run in a child
 * JVM by {@link CountersFileTest} to read the file from another process.
 */
public final class CountersDump
{
    private CountersDump()
    {
    }

    /**
     * @param args the counters file's path.
     */
    public static void main(final String[] args)
    {
        try (CountersView view = CountersView.open(Path.of(args[0])))
        {
            for (final Map.Entry<String, Long> e : view.labelsToValues().entrySet())
            {
                System.out.println(e.getKey() + "=" + e.getValue());
            }
        }
    }
}
