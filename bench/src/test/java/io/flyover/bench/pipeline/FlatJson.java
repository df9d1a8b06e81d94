package io.flyover.bench.pipeline;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A strict parser for one flat JSON object (string keys; number, string, true/false/null
 * values), enough to check the harness's output without a JSON library. Duplicate keys and
 * trailing text are errors.
 */
final class FlatJson
{
    private final String text;
    private int at;

    private FlatJson(final String text)
    {
        this.text = text;
    }

    static Map<String, Object> parse(final String text)
    {
        final FlatJson parser = new FlatJson(text.strip());
        final Map<String, Object> object = parser.object();
        if (parser.at != parser.text.length())
        {
            throw new IllegalArgumentException("trailing text at " + parser.at);
        }
        return object;
    }

    private Map<String, Object> object()
    {
        final Map<String, Object> object = new LinkedHashMap<>();
        expect('{');
        skipSpace();
        if (peek() == '}')
        {
            at++;
            return object;
        }
        while (true)
        {
            skipSpace();
            final String key = string();
            skipSpace();
            expect(':');
            skipSpace();
            if (object.containsKey(key))
            {
                throw new IllegalArgumentException("duplicate key " + key);
            }
            object.put(key, value());
            skipSpace();
            final char c = next();
            if (c == '}')
            {
                return object;
            }
            if (c != ',')
            {
                throw new IllegalArgumentException("expected , or } at " + (at - 1));
            }
        }
    }

    private Object value()
    {
        final char c = peek();
        if (c == '"')
        {
            return string();
        }
        if (text.startsWith("null", at))
        {
            at += 4;
            return null;
        }
        if (text.startsWith("true", at))
        {
            at += 4;
            return Boolean.TRUE;
        }
        if (text.startsWith("false", at))
        {
            at += 5;
            return Boolean.FALSE;
        }
        final int start = at;
        while (at < text.length() && "+-0123456789.eE".indexOf(text.charAt(at)) >= 0)
        {
            at++;
        }
        final String number = text.substring(start, at);
        if (!number.matches("-?(0|[1-9][0-9]*)(\\.[0-9]+)?([eE][+-]?[0-9]+)?"))
        {
            throw new IllegalArgumentException("bad number '" + number + "' at " + start);
        }
        return Double.parseDouble(number);
    }

    private String string()
    {
        expect('"');
        final StringBuilder out = new StringBuilder();
        while (true)
        {
            final char c = next();
            if (c == '"')
            {
                return out.toString();
            }
            if (c < 0x20)
            {
                throw new IllegalArgumentException("control character in string at " + (at - 1));
            }
            if (c == '\\')
            {
                final char e = next();
                switch (e)
                {
                    case '"', '\\', '/' -> out.append(e);
                    case 'n' -> out.append('\n');
                    case 'r' -> out.append('\r');
                    case 't' -> out.append('\t');
                    case 'b' -> out.append('\b');
                    case 'f' -> out.append('\f');
                    case 'u' ->
                    {
                        out.append((char)Integer.parseInt(text.substring(at, at + 4), 16));
                        at += 4;
                    }
                    default -> throw new IllegalArgumentException("bad escape at " + (at - 1));
                }
            }
            else
            {
                out.append(c);
            }
        }
    }

    private void skipSpace()
    {
        while (at < text.length() && Character.isWhitespace(text.charAt(at)))
        {
            at++;
        }
    }

    private char peek()
    {
        if (at >= text.length())
        {
            throw new IllegalArgumentException("unexpected end");
        }
        return text.charAt(at);
    }

    private char next()
    {
        final char c = peek();
        at++;
        return c;
    }

    private void expect(final char c)
    {
        if (next() != c)
        {
            throw new IllegalArgumentException("expected " + c + " at " + (at - 1));
        }
    }
}
