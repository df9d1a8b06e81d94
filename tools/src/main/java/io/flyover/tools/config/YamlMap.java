package io.flyover.tools.config;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;

import org.snakeyaml.engine.v2.nodes.MappingNode;
import org.snakeyaml.engine.v2.nodes.Node;
import org.snakeyaml.engine.v2.nodes.NodeTuple;
import org.snakeyaml.engine.v2.nodes.ScalarNode;
import org.snakeyaml.engine.v2.nodes.SequenceNode;

/**
 * Reads one YAML mapping of the configuration, keeping its field path so each problem is reported
 * where it is. On construction it reports duplicate keys, keys that are not plain text, and keys
 * not in the allowed set (with a "did you mean"). Every getter returns a usable fallback after
 * reporting a problem, so loading carries on and reports everything at once.
 */
final class YamlMap
{
    private final Node node;
    private final String path;
    private final ErrorSink errors;
    private final Map<String, NodeTuple> entries = new LinkedHashMap<>();

    private YamlMap(final Node node, final String path, final ErrorSink errors)
    {
        this.node = node;
        this.path = path;
        this.errors = errors;
    }

    /**
     * Wraps a node expected to be a mapping.
     *
     * @return the reader, or {@code null} after reporting that the node is not a mapping.
     */
    static YamlMap of(final Node node, final String path, final ErrorSink errors, final Set<String> allowed)
    {
        if (!(node instanceof final MappingNode mapping))
        {
            errors.add(node, path, "must be a mapping (key: value lines), got " + describe(node));
            return null;
        }
        final YamlMap map = new YamlMap(node, path, errors);
        for (final NodeTuple tuple : mapping.getValue())
        {
            final Node keyNode = tuple.getKeyNode();
            if (!(keyNode instanceof final ScalarNode scalarKey))
            {
                errors.add(keyNode, path, "keys must be plain text, got " + describe(keyNode));
                continue;
            }
            final String key = scalarKey.getValue();
            final String keyPath = child(path, key);
            if (!allowed.contains(key))
            {
                final String suggestion = Suggestions.nearest(key, allowed);
                errors.add(keyNode, child(path, Values.printable(key)),
                    "unknown field" + (null == suggestion ? "; allowed: " + String.join(", ", sorted(allowed)) :
                    " (did you mean '" + suggestion + "'?)"));
                continue;
            }
            if (map.entries.containsKey(key))
            {
                errors.add(keyNode, keyPath, "duplicate key (first at line " +
                    ErrorSink.Where.of(map.entries.get(key).getKeyNode(), keyPath).line() + ")");
                continue;
            }
            map.entries.put(key, tuple);
        }
        return map;
    }

    static String child(final String parent, final String key)
    {
        return parent.isEmpty() ? key : parent + "." + key;
    }

    static String describe(final Node node)
    {
        if (node instanceof final ScalarNode scalar)
        {
            return isNull(scalar) ? "nothing" : "the value " + Values.quote(scalar.getValue());
        }
        if (node instanceof SequenceNode)
        {
            return "a list";
        }
        if (node instanceof MappingNode)
        {
            return "a mapping";
        }
        return "nothing";
    }

    static boolean isNull(final Node node)
    {
        if (node instanceof final ScalarNode scalar)
        {
            final String value = scalar.getValue();
            return scalar.isPlain() && (value.isEmpty() || "~".equals(value) || "null".equals(value) ||
                "Null".equals(value) || "NULL".equals(value));
        }
        return null == node;
    }

    private static List<String> sorted(final Set<String> allowed)
    {
        final List<String> list = new ArrayList<>(allowed);
        list.sort(null);
        return list;
    }

    Node node()
    {
        return node;
    }

    String path()
    {
        return path;
    }

    String path(final String key)
    {
        return child(path, key);
    }

    ErrorSink errors()
    {
        return errors;
    }

    boolean has(final String key)
    {
        return entries.containsKey(key);
    }

    /**
     * The value node of a key, or {@code null} if the key is absent.
     */
    Node value(final String key)
    {
        final NodeTuple tuple = entries.get(key);
        return null == tuple ? null : tuple.getValueNode();
    }

    ErrorSink.Where where(final String key)
    {
        final Node value = value(key);
        return ErrorSink.Where.of(null == value ? node : value, path(key));
    }

    void error(final String key, final String message)
    {
        final Node value = value(key);
        errors.add(null == value ? node : value, path(key), message);
    }

    void missing(final String key)
    {
        errors.add(node, path(key), "is required");
    }

    /**
     * The scalar text of a key.
     *
     * @return the text; {@code null} when absent (reported if required), or when not a scalar or
     * empty (always reported).
     */
    String text(final String key, final boolean required)
    {
        final Node value = value(key);
        if (null == value)
        {
            if (required)
            {
                missing(key);
            }
            return null;
        }
        if (!(value instanceof final ScalarNode scalar) || isNull(value))
        {
            errors.add(value, path(key), "must be a single value, got " + describe(value));
            return null;
        }
        return scalar.getValue().strip();
    }

    /**
     * Parses a key's scalar with a {@link Values} parser.
     *
     * @return the parsed value, or {@code fallback} when absent or invalid (invalid is reported).
     */
    <T> T parse(final String key, final Function<String, T> parser, final T fallback, final boolean required)
    {
        final String text = text(key, required);
        if (null == text)
        {
            return fallback;
        }
        try
        {
            return parser.apply(text);
        }
        catch (final IllegalArgumentException ex)
        {
            error(key, ex.getMessage() + ", got " + Values.quote(text));
            return fallback;
        }
    }

    /**
     * A whole number in {@code min..max}.
     *
     * @return the number, or {@code fallback} when absent or invalid (invalid is reported).
     */
    int integer(final String key, final int min, final int max, final int fallback, final boolean required)
    {
        final String text = text(key, required);
        if (null == text)
        {
            return fallback;
        }
        if (!text.matches("[+-]?\\d{1,18}"))
        {
            error(key, "must be a whole number " + min + ".." + max + ", got " + Values.quote(text));
            return fallback;
        }
        final long value = Long.parseLong(text);
        if (value < min || value > max)
        {
            error(key, "must be " + min + ".." + max + ", got " + value);
            return fallback;
        }
        return (int)value;
    }

    String string(final String key, final String fallback, final boolean required)
    {
        final String text = text(key, required);
        return null == text ? fallback : text;
    }

    /**
     * One of a set of keywords, e.g. {@code tcp|udp|icmp}.
     */
    <E extends Enum<E>> E keyword(
        final String key, final Class<E> type, final E fallback, final boolean required)
    {
        final String text = text(key, required);
        if (null == text)
        {
            return fallback;
        }
        final List<String> names = new ArrayList<>();
        for (final E constant : type.getEnumConstants())
        {
            final String name = constant.name().toLowerCase(java.util.Locale.ROOT).replace('_', '-');
            names.add(name);
            if (name.equals(text))
            {
                return constant;
            }
        }
        error(key, "must be one of " + String.join(", ", names) + ", got " + Values.quote(text));
        return fallback;
    }

    /**
     * A nested mapping.
     *
     * @return its reader; {@code null} when absent (reported if required) or not a mapping (reported).
     */
    YamlMap map(final String key, final Set<String> allowed, final boolean required)
    {
        final Node value = value(key);
        if (null == value)
        {
            if (required)
            {
                missing(key);
            }
            return null;
        }
        return of(value, path(key), errors, allowed);
    }

    /**
     * The items of a nested list; an absent or empty ({@code key:} with nothing) list is empty.
     *
     * @return the item nodes; empty after reporting when the value is not a list.
     */
    List<Node> list(final String key, final boolean required)
    {
        final Node value = value(key);
        if (null == value)
        {
            if (required)
            {
                missing(key);
            }
            return List.of();
        }
        if (isNull(value))
        {
            return List.of();
        }
        if (!(value instanceof final SequenceNode sequence))
        {
            errors.add(value, path(key), "must be a list (lines starting with '- '), got " + describe(value));
            return List.of();
        }
        return sequence.getValue();
    }
}
