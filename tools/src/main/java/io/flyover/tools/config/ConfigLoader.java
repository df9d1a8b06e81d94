package io.flyover.tools.config;

import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

import org.snakeyaml.engine.v2.api.LoadSettings;
import org.snakeyaml.engine.v2.api.lowlevel.Compose;
import org.snakeyaml.engine.v2.exceptions.Mark;
import org.snakeyaml.engine.v2.exceptions.MarkedYamlEngineException;
import org.snakeyaml.engine.v2.exceptions.ReaderException;
import org.snakeyaml.engine.v2.exceptions.YamlEngineException;
import org.snakeyaml.engine.v2.nodes.Node;
import org.snakeyaml.engine.v2.scanner.ScannerImpl;
import org.snakeyaml.engine.v2.scanner.StreamReader;

/**
 * Loads a gateway configuration file: reads it (size-capped, strict UTF-8), composes the YAML
 * with snakeyaml-engine keeping line marks and with alias and size limits, then validates it into
 * a {@link GatewayConfig}. Never throws for bad input: every problem, from a missing file to a
 * typo'd key, comes back as a {@link ConfigError} in an {@link Result.Invalid}, all of them at
 * once, ordered by line. Runs on the caller's (control) thread; stateless.
 */
public final class ConfigLoader
{
    /**
     * The largest configuration file accepted, in bytes (and characters).
     */
    public static final int MAX_FILE_BYTES = 4 * 1024 * 1024;

    /**
     * Aliases to collections allowed in one document: enough to share a backend list, too few for
     * an alias bomb.
     */
    public static final int MAX_ALIASES = 64;

    /**
     * The deepest nesting accepted (counting indentation columns and brackets); a configuration
     * needs about ten levels.
     */
    public static final int MAX_NESTING = 1000;

    private ConfigLoader()
    {
    }

    /**
     * The outcome of a load: a valid configuration, or the reasons there is none.
     */
    public sealed interface Result permits Result.Valid, Result.Invalid
    {
        /**
         * The problems found.
         *
         * @return empty for a valid configuration.
         */
        List<ConfigError> errors();

        /**
         * Whether the file gave a valid configuration.
         *
         * @return true for {@link Valid}.
         */
        default boolean isValid()
        {
            return this instanceof Valid;
        }

        /**
         * The configuration of a valid result.
         *
         * @return the configuration.
         * @throws IllegalStateException for an invalid result, with every error in the message.
         */
        default GatewayConfig config()
        {
            if (this instanceof final Valid valid)
            {
                return valid.gatewayConfig();
            }
            throw new IllegalStateException("invalid configuration:\n" + describe());
        }

        /**
         * The errors one per line, as operators read them.
         *
         * @return the errors' {@link ConfigError#toString()} joined by newlines; empty when valid.
         */
        default String describe()
        {
            final StringBuilder sb = new StringBuilder();
            for (final ConfigError error : errors())
            {
                sb.append(error).append('\n');
            }
            return sb.toString();
        }

        /**
         * A configuration that passed every check.
         *
         * @param gatewayConfig the configuration.
         */
        record Valid(GatewayConfig gatewayConfig) implements Result
        {
            public Valid
            {
                Objects.requireNonNull(gatewayConfig, "gatewayConfig");
            }

            @Override
            public List<ConfigError> errors()
            {
                return List.of();
            }
        }

        /**
         * A file that did not give a configuration.
         *
         * @param errors every problem found, at least one, ordered by line.
         */
        record Invalid(List<ConfigError> errors) implements Result
        {
            public Invalid
            {
                errors = List.copyOf(errors);
                if (errors.isEmpty())
                {
                    throw new IllegalArgumentException("an invalid result needs at least one error");
                }
            }
        }
    }

    /**
     * Loads and validates a configuration file. Relative directories in it resolve against the
     * file's folder; errors name the file as given.
     *
     * @param file the YAML file.
     * @return the configuration or every problem found.
     */
    public static Result load(final Path file)
    {
        final String label = file.toString();
        final byte[] bytes;
        try
        {
            bytes = readCapped(file);
        }
        catch (final NoSuchFileException ex)
        {
            return failure(label, "", "no such file");
        }
        catch (final IOException | RuntimeException ex)
        {
            return failure(label, "", "cannot read: " + oneLine(ex.toString()));
        }
        if (null == bytes)
        {
            return failure(label, "", "file is larger than " + MAX_FILE_BYTES + " bytes; not a gateway configuration");
        }
        final Path parent = file.toAbsolutePath().getParent();
        return parse(label, bytes, null == parent ? Path.of("").toAbsolutePath() : parent);
    }

    /**
     * Validates configuration bytes, e.g. received by the admin API.
     *
     * @param label   the name errors give the source, e.g. the file name.
     * @param bytes   the YAML, UTF-8.
     * @param baseDir the folder relative directories resolve against.
     * @return the configuration or every problem found.
     */
    public static Result parse(final String label, final byte[] bytes, final Path baseDir)
    {
        if (bytes.length > MAX_FILE_BYTES)
        {
            return failure(label, "", "input is larger than " + MAX_FILE_BYTES + " bytes; not a gateway configuration");
        }
        final CharsetDecoder decoder = StandardCharsets.UTF_8.newDecoder()
            .onMalformedInput(CodingErrorAction.REPORT)
            .onUnmappableCharacter(CodingErrorAction.REPORT);
        final String text;
        try
        {
            text = decoder.decode(ByteBuffer.wrap(bytes)).toString();
        }
        catch (final CharacterCodingException ex)
        {
            return failure(label, firstBadUtf8Line(bytes), "", "is not UTF-8 text (binary file?)");
        }
        return parse(label, text, baseDir);
    }

    /**
     * Validates configuration text.
     *
     * @param label   the name errors give the source.
     * @param text    the YAML.
     * @param baseDir the folder relative directories resolve against.
     * @return the configuration or every problem found.
     */
    public static Result parse(final String label, final String text, final Path baseDir)
    {
        if (text.length() > MAX_FILE_BYTES)
        {
            return failure(label, "", "input is larger than " + MAX_FILE_BYTES + " characters; not a gateway configuration");
        }
        final String yaml = text.startsWith("\uFEFF") ? text.substring(1) : text;
        final int tooDeep = lineTooDeep(yaml);
        if (tooDeep > 0)
        {
            return failure(label, tooDeep, "", "invalid YAML: nested deeper than " + MAX_NESTING + " levels");
        }
        final ErrorSink errors = new ErrorSink(label);
        final Node root;
        try
        {
            final Optional<Node> document = new Compose(settings(label)).composeString(yaml);
            if (document.isEmpty())
            {
                return failure(label, "", "is empty; a gateway configuration needs at least pop, ports and keys");
            }
            root = document.get();
        }
        catch (final MarkedYamlEngineException ex)
        {
            final Optional<Mark> mark = ex.getProblemMark().isPresent() ? ex.getProblemMark() : ex.getContextMark();
            final String context = null == ex.getContext() || ex.getContext().isBlank() ? "" : ex.getContext() + ": ";
            errors.add(mark, "", "invalid YAML: " + oneLine(context + ex.getProblem()));
            return new Result.Invalid(errors.errors());
        }
        catch (final ReaderException ex)
        {
            return failure(label, lineOfCodePoint(yaml, ex.getPosition()), "",
                String.format("invalid YAML: character U+%04X is not allowed (binary file?)", ex.getCodePoint()));
        }
        catch (final YamlEngineException ex)
        {
            // some scanner errors carry no position: the last token scanned before it is next to it
            return failure(label, scannerFailureLine(label, yaml), "", "invalid YAML: " + oneLine(String.valueOf(ex.getMessage())));
        }
        catch (final StackOverflowError ex)
        {
            return failure(label, 0, "", "invalid YAML: nested too deeply");
        }
        catch (final RuntimeException ex)
        {
            return failure(label, "", "invalid YAML: " + oneLine(ex.toString()));
        }

        final GatewayConfig config;
        try
        {
            config = new ConfigParser(errors, baseDir).parse(root);
        }
        catch (final RuntimeException | StackOverflowError ex)
        {
            errors.add(root, "", "internal error while validating (please report): " + oneLine(ex.toString()));
            return new Result.Invalid(errors.errors());
        }
        if (!errors.isEmpty() || null == config)
        {
            final List<ConfigError> sorted = new java.util.ArrayList<>(errors.errors());
            sorted.sort(Comparator.comparingInt(ConfigError::line).thenComparingInt(ConfigError::column));
            return new Result.Invalid(sorted.isEmpty() ?
                List.of(new ConfigError(label, 0, 0, "", "not a gateway configuration")) : sorted);
        }
        return new Result.Valid(config);
    }

    private static LoadSettings settings(final String label)
    {
        return LoadSettings.builder()
            .setLabel(label)
            .setUseMarks(true)
            .setParseComments(false)
            .setAllowDuplicateKeys(true) // reported with both lines by the validator
            .setAllowRecursiveKeys(false)
            .setAllowNonScalarKeys(true) // reported with their line by the validator
            .setMaxAliasesForCollections(MAX_ALIASES)
            .setCodePointLimit(MAX_FILE_BYTES)
            .build();
    }

    private static byte[] readCapped(final Path file) throws IOException
    {
        try (InputStream in = Files.newInputStream(file))
        {
            final byte[] bytes = in.readNBytes(MAX_FILE_BYTES + 1);
            return bytes.length > MAX_FILE_BYTES ? null : bytes;
        }
    }

    private static int firstBadUtf8Line(final byte[] bytes)
    {
        final CharsetDecoder decoder = StandardCharsets.UTF_8.newDecoder()
            .onMalformedInput(CodingErrorAction.REPORT)
            .onUnmappableCharacter(CodingErrorAction.REPORT);
        int line = 1;
        int lineStart = 0;
        for (int i = 0; i < bytes.length; i++)
        {
            if (bytes[i] == '\n')
            {
                try
                {
                    decoder.reset().decode(ByteBuffer.wrap(bytes, lineStart, i - lineStart));
                }
                catch (final CharacterCodingException ex)
                {
                    return line;
                }
                line++;
                lineStart = i + 1;
            }
        }
        return line;
    }

    private static int lineOfCodePoint(final String text, final int codePointIndex)
    {
        int line = 1;
        int index = 0;
        for (int i = 0; i < text.length() && index < codePointIndex; index++)
        {
            final int cp = text.codePointAt(i);
            if (cp == '\n')
            {
                line++;
            }
            i += Character.charCount(cp);
        }
        return line;
    }

    /**
     * @return the 1-based line where the last token before the scanner's failure ends, or 0 if
     *         the scanner reads the whole text (the error came from a later stage).
     */
    static int scannerFailureLine(final String label, final String yaml)
    {
        final LoadSettings settings = settings(label);
        final ScannerImpl scanner = new ScannerImpl(settings, new StreamReader(settings, yaml));
        int line = 1;
        try
        {
            while (scanner.hasNext())
            {
                final Optional<Mark> end = scanner.next().getEndMark();
                if (end.isPresent())
                {
                    line = end.get().getLine() + 1;
                }
            }
            return 0;
        }
        catch (final RuntimeException ex)
        {
            return line;
        }
    }

    /**
     * Finds where a document nests deeper than {@link #MAX_NESTING}, estimated without composing it:
     * open flow brackets plus, on each line, the indentation and the block indicators ({@code - },
     * {@code ? }) that start it. A configuration needs about ten levels; the estimate only ever
     * over-counts, so nothing sane is refused, and the composer (which recurses) is never handed a
     * document deep enough to exhaust the stack.
     *
     * @return the 1-based line where the limit is passed, or 0 if it never is.
     */
    static int lineTooDeep(final String text)
    {
        int line = 1;
        int flowDepth = 0;
        int blockDepth = 0;
        boolean lineStart = true;
        boolean comment = false;
        for (int i = 0; i < text.length(); i++)
        {
            final char c = text.charAt(i);
            if (c == '\n')
            {
                line++;
                blockDepth = 0;
                lineStart = true;
                comment = false;
                continue;
            }
            if (comment)
            {
                continue;
            }
            if (lineStart && (c == ' ' || c == '-' || c == '?'))
            {
                blockDepth++;
            }
            else if (c == '#' && (lineStart || (i > 0 && text.charAt(i - 1) == ' ')))
            {
                comment = true;
                continue;
            }
            else
            {
                lineStart = false;
                if (c == '[' || c == '{')
                {
                    flowDepth++;
                }
                else if ((c == ']' || c == '}') && flowDepth > 0)
                {
                    flowDepth--;
                }
            }
            if (flowDepth + blockDepth > MAX_NESTING)
            {
                return line;
            }
        }
        return 0;
    }

    private static Result failure(final String label, final String path, final String message)
    {
        return failure(label, 0, path, message);
    }

    private static Result failure(final String label, final int line, final String path, final String message)
    {
        return new Result.Invalid(List.of(new ConfigError(label, line, line > 0 ? 1 : 0, path, message)));
    }

    private static String oneLine(final String text)
    {
        final String flat = text.replaceAll("\\s+", " ").strip();
        return flat.length() > 200 ? flat.substring(0, 200) + "..." : flat;
    }
}
