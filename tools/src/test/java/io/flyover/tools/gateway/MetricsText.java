package io.flyover.tools.gateway;

import java.util.HashMap;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Reads samples back out of Prometheus text exposition, for assertions that do not depend on
 * label order or number formatting.
 */
final class MetricsText
{
    static final Pattern SAMPLE = Pattern.compile("([a-zA-Z_:][a-zA-Z0-9_:]*)(\\{(.*)})? (\\S+)");
    private static final Pattern LABEL = Pattern.compile("([a-zA-Z_][a-zA-Z0-9_]*)=\"((?:[^\"\\\\]|\\\\.)*)\"");

    private MetricsText()
    {
    }

    /**
     * @param body   exposition text.
     * @param name   sample name (with {@code _total} for counters).
     * @param labels label name, value, name, value...; the sample must have exactly these.
     * @return the value, or NaN if there is no such sample.
     */
    static double value(final String body, final String name, final String... labels)
    {
        final Map<String, String> wanted = new HashMap<>();
        for (int i = 0; i < labels.length; i += 2)
        {
            wanted.put(labels[i], labels[i + 1]);
        }
        for (final String line : body.split("\n"))
        {
            final Matcher m = SAMPLE.matcher(line);
            if (line.startsWith("#") || !m.matches() || !m.group(1).equals(name))
            {
                continue;
            }
            final Map<String, String> got = new HashMap<>();
            if (null != m.group(3))
            {
                final Matcher l = LABEL.matcher(m.group(3));
                while (l.find())
                {
                    got.put(l.group(1), l.group(2));
                }
            }
            if (got.equals(wanted))
            {
                return Double.parseDouble(m.group(4));
            }
        }
        return Double.NaN;
    }
}
