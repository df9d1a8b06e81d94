package io.flyover.tools.config;

import java.util.Objects;

/**
 * One problem found while loading a configuration file, located by file, line, column (1-based;
 * 0 when the problem concerns the whole file) and the field path inside the document, e.g.
 * {@code services[1].backends[0].weight}.
 *
 * @param file    the file's name as given to the loader.
 * @param line    1-based line, or 0 when the problem has no position.
 * @param column  1-based column, or 0 when the problem has no position.
 * @param path    the field path, empty for problems with the document as a whole.
 * @param message what is wrong, e.g. {@code must be 0..65535, got 70000}.
 */
public record ConfigError(String file, int line, int column, String path, String message)
{
    public ConfigError
    {
        Objects.requireNonNull(file, "file");
        Objects.requireNonNull(path, "path");
        Objects.requireNonNull(message, "message");
    }

    /**
     * The one-line form operators read: {@code pop.yaml:14: services[1].backends[0].weight: must be
     * 0..65535, got 70000}; the line is left out when there is none, the path when it is empty.
     *
     * @return the error as one line.
     */
    @Override
    public String toString()
    {
        final StringBuilder sb = new StringBuilder(file.length() + path.length() + message.length() + 16);
        sb.append(file);
        if (line > 0)
        {
            sb.append(':').append(line);
        }
        sb.append(": ");
        if (!path.isEmpty())
        {
            sb.append(path).append(": ");
        }
        return sb.append(message).toString();
    }
}
