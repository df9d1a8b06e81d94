package io.flyover.tools.config;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

import org.snakeyaml.engine.v2.exceptions.Mark;
import org.snakeyaml.engine.v2.nodes.Node;

/**
 * Collects every {@link ConfigError} of one load, so a file's problems are all reported at once.
 * Used by the loading thread only.
 */
final class ErrorSink
{
    private final String file;
    private final List<ConfigError> errors = new ArrayList<>();

    ErrorSink(final String file)
    {
        this.file = file;
    }

    String file()
    {
        return file;
    }

    void add(final Node node, final String path, final String message)
    {
        add(null == node ? Optional.empty() : node.getStartMark(), path, message);
    }

    void add(final Optional<Mark> mark, final String path, final String message)
    {
        if (mark.isPresent())
        {
            add(mark.get().getLine() + 1, mark.get().getColumn() + 1, path, message);
        }
        else
        {
            add(0, 0, path, message);
        }
    }

    void add(final Where where, final String message)
    {
        add(where.line(), where.column(), where.path(), message);
    }

    void add(final int line, final int column, final String path, final String message)
    {
        errors.add(new ConfigError(file, line, column, path, message));
    }

    /**
     * Reports a value seen before, naming the line it was first seen at.
     *
     * @param seen  values seen so far, with where; {@code key} is added if new.
     * @param key   the value.
     * @param where where it is written now.
     * @param what  how to name it, e.g. {@code service id 100}.
     */
    <K> void unique(final java.util.Map<K, Where> seen, final K key, final Where where, final String what)
    {
        final Where first = seen.putIfAbsent(key, where);
        if (null != first)
        {
            add(where, "duplicate " + what + " (first at line " + first.line() + ")");
        }
    }

    boolean isEmpty()
    {
        return errors.isEmpty();
    }

    List<ConfigError> errors()
    {
        return List.copyOf(errors);
    }

    /**
     * Where a value was written, kept for checks that look across fields (duplicates, references).
     *
     * @param line   1-based line.
     * @param column 1-based column.
     * @param path   field path.
     */
    record Where(int line, int column, String path)
    {
        static Where of(final Node node, final String path)
        {
            final Optional<Mark> mark = null == node ? Optional.empty() : node.getStartMark();
            return mark.map(m -> new Where(m.getLine() + 1, m.getColumn() + 1, path))
                .orElseGet(() -> new Where(0, 0, path));
        }
    }
}
