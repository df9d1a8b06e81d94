package io.flyover.optimizer.sim;

import java.io.IOException;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A scenario file for {@code flyover sim --scenario FILE}: UTF-8 text, one episode a line as
 * {@code KIND key=value ...}; {@code #} starts a comment, blank lines are ignored, and an optional
 * first directive {@code name NAME} labels the run.
 * <pre>
 * name two-outages
 * down       link=A,B  start=T end=T
 * flap       link=A,B  start=T end=T every=DUR for=DUR
 * congestion link=auto start=T end=T delay=+80%+20ms [loss=P]
 * loss       link=A,B  start=T end=T loss=P
 * </pre>
 * A link is two POP names of the matrix or {@code auto} (chosen when the episode starts, as the
 * built-in scenarios choose theirs: the link the most sampled pairs' preferred routes cross, ties
 * broken by the seed). T is seconds from the start of the run
 * ({@code 30s}, {@code 30}, {@code 1500ms}), a percent of the window after the warm-up
 * ({@code 20%}) or {@code end}; DUR is {@code 2s} or {@code 500ms}; P is {@code 2%} or
 * {@code 0.02}. {@link #parse} checks the syntax; {@link #plans} checks the file against a matrix
 * and a run. Every error is one line, {@code scenario FILE:LINE: reason}. Immutable; any thread.
 */
public final class ScenarioFile
{
    /** Most down periods one flap line may make. */
    public static final int MAX_FLAP_PERIODS = 10_000;
    /** Largest time or duration accepted, in seconds. */
    static final double MAX_SECONDS = 1e9;

    private static final String NUMBER = "(\\d+(?:\\.\\d*)?|\\.\\d+)";
    private static final Pattern TIME = Pattern.compile(NUMBER + "(s|ms|%)?");
    private static final Pattern DURATION = Pattern.compile(NUMBER + "(s|ms)");
    private static final Pattern LOSS = Pattern.compile(NUMBER + "(%)?");
    private static final Pattern DELAY_TERM = Pattern.compile("\\+" + NUMBER + "(%|ms)");

    /** What an episode does to its link. */
    public enum Kind
    {
        /** The link is down from start to end. */
        DOWN("down", "link", "start", "end"),
        /** The link is down {@code for} out of each {@code every} from start to end. */
        FLAP("flap", "link", "start", "end", "every", "for"),
        /** The link's RTT grows by a percent of its base plus milliseconds, optionally with loss. */
        CONGESTION("congestion", "link", "start", "end", "delay", "loss"),
        /** The link loses a fraction of packets (round trip). */
        LOSS("loss", "link", "start", "end", "loss");

        private final String label;
        private final List<String> keys;

        Kind(final String label, final String... keys)
        {
            this.label = label;
            this.keys = List.of(keys);
        }

        /**
         * @return the word that starts its lines.
         */
        public String label()
        {
            return label;
        }

        /**
         * @return the keys it takes.
         */
        public List<String> keys()
        {
            return keys;
        }

        boolean required(final String key)
        {
            return !(this == CONGESTION && "loss".equals(key));
        }
    }

    /** How a {@link Time} counts. */
    public enum TimeUnit
    {
        /** Seconds from the start of the run (the warm-up included). */
        SECONDS,
        /** Percent of the window after the warm-up, from its start. */
        PERCENT,
        /** The end of the run. */
        END
    }

    /**
     * A point in simulated time as written.
     *
     * @param unit  how it counts.
     * @param value seconds or percent; 0 for {@link TimeUnit#END}.
     * @param text  as written.
     */
    public record Time(TimeUnit unit, double value, String text)
    {
        /**
         * @param durationNs the run's length, warm-up included.
         * @param warmupNs   the warm-up.
         * @return nanoseconds from the start of the run.
         */
        public long toNs(final long durationNs, final long warmupNs)
        {
            return switch (unit)
            {
                case SECONDS -> Math.round(value * 1e9);
                case PERCENT -> warmupNs + (long)(value / 100.0 * (durationNs - warmupNs));
                case END -> durationNs;
            };
        }
    }

    /**
     * One line of the file.
     *
     * @param line          its line number, from 1.
     * @param kind          what it does.
     * @param a             one POP's name, {@code null} for {@code link=auto}.
     * @param b             the other POP's name, {@code null} for {@code link=auto}.
     * @param start         when it starts.
     * @param end           when it ends (exclusive).
     * @param everyNs       a flap's period, else 0.
     * @param forNs         how long a flap is down in each period, else 0.
     * @param delayPercent  a congestion's extra delay in percent of the link's base RTT, else 0.
     * @param delayMs       a congestion's extra delay in ms on top of the percent, else 0.
     * @param loss          round-trip loss probability, 0..1 (0 for down and flap).
     */
    public record Episode(int line, Kind kind, String a, String b, Time start, Time end, long everyNs, long forNs,
        double delayPercent, double delayMs, double loss)
    {
        /**
         * @return true if the link is chosen when the episode starts.
         */
        public boolean auto()
        {
            return a == null;
        }
    }

    private final String name;
    private final String source;
    private final List<Episode> episodes;

    private ScenarioFile(final String name, final String source, final List<Episode> episodes)
    {
        this.name = name;
        this.source = source;
        this.episodes = List.copyOf(episodes);
    }

    /**
     * Reads and parses a file; its name defaults to the file name without its extension.
     *
     * @param file the scenario file.
     * @return the parsed file.
     * @throws IllegalArgumentException with a one-line {@code scenario FILE[:LINE]: reason}.
     */
    public static ScenarioFile read(final Path file)
    {
        final List<String> lines;
        try
        {
            lines = Files.readAllLines(file, StandardCharsets.UTF_8);
        }
        catch (final NoSuchFileException ex)
        {
            throw new IllegalArgumentException("scenario " + file + ": no such file");
        }
        catch (final CharacterCodingException ex)
        {
            throw new IllegalArgumentException("scenario " + file + ": not UTF-8 text");
        }
        catch (final IOException | RuntimeException ex)
        {
            throw new IllegalArgumentException("scenario " + file + ": cannot read: " + ex.getMessage());
        }
        final Path fileName = file.getFileName();
        final String base = fileName == null ? file.toString() : fileName.toString();
        final int dot = base.lastIndexOf('.');
        return parse(lines, file.toString(), dot > 0 ? base.substring(0, dot) : base);
    }

    /**
     * @param lines       the file's lines.
     * @param source      the file's name in error messages.
     * @param defaultName the scenario's name if the file has no {@code name} directive.
     * @return the parsed file.
     * @throws IllegalArgumentException with a one-line {@code scenario SOURCE:LINE: reason}.
     */
    public static ScenarioFile parse(final List<String> lines, final String source, final String defaultName)
    {
        String name = defaultName;
        boolean directives = false;
        final List<Episode> episodes = new ArrayList<>();
        for (int i = 0; i < lines.size(); i++)
        {
            final int lineNo = i + 1;
            String line = lines.get(i);
            if (i == 0 && line.startsWith("\uFEFF"))
            {
                line = line.substring(1);
            }
            final int hash = line.indexOf('#');
            final String text = (hash >= 0 ? line.substring(0, hash) : line).strip();
            if (text.isEmpty())
            {
                continue;
            }
            final String[] tokens = text.split("\\s+");
            if ("name".equals(tokens[0]))
            {
                if (directives)
                {
                    throw error(source, lineNo, "name must be the first directive");
                }
                name = text.substring(tokens[0].length()).strip();
                if (name.isEmpty())
                {
                    throw error(source, lineNo, "name needs a value");
                }
            }
            else
            {
                episodes.add(parseEpisode(tokens, source, lineNo));
            }
            directives = true;
        }
        return new ScenarioFile(name, source, episodes);
    }

    /**
     * @return the label of the run ({@code name NAME}, else the file name without extension).
     */
    public String name()
    {
        return name;
    }

    /**
     * @return the file's name as used in error messages.
     */
    public String source()
    {
        return source;
    }

    /**
     * @return the episodes, in file order.
     */
    public List<Episode> episodes()
    {
        return episodes;
    }

    /**
     * Checks the episodes against a matrix and a run and turns them into the simulation's plans.
     *
     * @param matrix     the run's matrix.
     * @param durationNs the run's length, warm-up included.
     * @param warmupNs   the warm-up.
     * @return one plan per episode, in file order.
     * @throws IllegalArgumentException with a one-line {@code scenario SOURCE:LINE: reason}.
     */
    List<Simulation.Plan> plans(final SimMatrix matrix, final long durationNs, final long warmupNs)
    {
        final List<Simulation.Plan> plans = new ArrayList<>();
        for (final Episode e : episodes)
        {
            int a = 0;
            int b = 0;
            if (!e.auto())
            {
                a = matrix.id(e.a());
                b = matrix.id(e.b());
                if (a == 0 || b == 0)
                {
                    throw error(source, e.line(), "unknown POP '" + (a == 0 ? e.a() : e.b()) + "' (not in the matrix)");
                }
                if (!matrix.hasLink(a, b))
                {
                    throw error(source, e.line(), "no direct link between " + e.a() + " and " + e.b() + " in the matrix");
                }
            }
            final long startNs = e.start().toNs(durationNs, warmupNs);
            final long endNs = e.end().toNs(durationNs, warmupNs);
            if (endNs > durationNs)
            {
                throw error(source, e.line(), String.format(Locale.ROOT, "end=%s is beyond the run (%s s)", e.end().text(),
                    seconds(durationNs)));
            }
            if (startNs >= endNs)
            {
                throw error(source, e.line(), String.format(Locale.ROOT, "start=%s (%s s) must be before end=%s (%s s)",
                    e.start().text(), seconds(startNs), e.end().text(), seconds(endNs)));
            }
            plans.add(switch (e.kind())
            {
                case DOWN -> new Simulation.Plan(startNs, endNs, a, b, 0, 0, 0, true, 0, 0, 0);
                case FLAP ->
                {
                    final long periods = (endNs - startNs - 1) / e.everyNs() + 1;
                    if (periods > MAX_FLAP_PERIODS)
                    {
                        throw error(source, e.line(), "the flap would make " + periods + " outages, at most " +
                            MAX_FLAP_PERIODS);
                    }
                    yield new Simulation.Plan(startNs, endNs, a, b, 0, 0, 0, true, e.everyNs(), e.forNs(), endNs);
                }
                case CONGESTION -> new Simulation.Plan(startNs, endNs, a, b, e.delayPercent() / 100.0, e.delayMs(), e.loss(),
                    false, 0, 0, 0);
                case LOSS -> new Simulation.Plan(startNs, endNs, a, b, 0, 0, e.loss(), false, 0, 0, 0);
            });
        }
        return plans;
    }

    // ---------------------------------------------------------------- parsing

    private static Episode parseEpisode(final String[] tokens, final String source, final int line)
    {
        Kind kind = null;
        for (final Kind k : Kind.values())
        {
            if (k.label.equals(tokens[0]))
            {
                kind = k;
            }
        }
        if (kind == null)
        {
            throw error(source, line, "unknown kind '" + tokens[0] +
                "' (down, flap, congestion or loss; name NAME only as the first directive)");
        }
        final Map<String, String> values = new LinkedHashMap<>();
        for (int t = 1; t < tokens.length; t++)
        {
            final int eq = tokens[t].indexOf('=');
            if (eq <= 0 || eq == tokens[t].length() - 1)
            {
                throw error(source, line, "expected key=value, not '" + tokens[t] + "'");
            }
            final String key = tokens[t].substring(0, eq);
            if (!kind.keys.contains(key))
            {
                throw error(source, line, "unknown key '" + key + "' for " + kind.label + " (" +
                    String.join(", ", kind.keys) + ")");
            }
            if (values.put(key, tokens[t].substring(eq + 1)) != null)
            {
                throw error(source, line, "key '" + key + "' given twice");
            }
        }
        for (final String key : kind.keys)
        {
            if (kind.required(key) && !values.containsKey(key))
            {
                throw error(source, line, "missing key '" + key + "' for " + kind.label);
            }
        }
        final String link = values.get("link");
        String a = null;
        String b = null;
        if (!"auto".equals(link))
        {
            final String[] ends = link.split(",", -1);
            if (ends.length != 2 || ends[0].isEmpty() || ends[1].isEmpty())
            {
                throw error(source, line, "link must be A,B (two POP names) or auto, not '" + link + "'");
            }
            if (ends[0].equals(ends[1]))
            {
                throw error(source, line, "link " + link + " needs two different POPs");
            }
            a = ends[0];
            b = ends[1];
        }
        final Time start = time("start", values.get("start"), source, line);
        final Time end = time("end", values.get("end"), source, line);
        long everyNs = 0;
        long forNs = 0;
        double delayPercent = 0;
        double delayMs = 0;
        double loss = 0;
        switch (kind)
        {
            case FLAP ->
            {
                everyNs = duration("every", values.get("every"), source, line);
                forNs = duration("for", values.get("for"), source, line);
                if (everyNs <= forNs)
                {
                    throw error(source, line, "every=" + values.get("every") + " must be longer than for=" +
                        values.get("for"));
                }
            }
            case CONGESTION ->
            {
                final double[] delay = delay(values.get("delay"), source, line);
                delayPercent = delay[0];
                delayMs = delay[1];
                loss = values.containsKey("loss") ? loss(values.get("loss"), source, line) : 0;
            }
            case LOSS -> loss = loss(values.get("loss"), source, line);
            case DOWN ->
            {
            }
        }
        return new Episode(line, kind, a, b, start, end, everyNs, forNs, delayPercent, delayMs, loss);
    }

    private static Time time(final String key, final String text, final String source, final int line)
    {
        if ("end".equals(text))
        {
            return new Time(TimeUnit.END, 0, text);
        }
        final Matcher m = TIME.matcher(text);
        if (!m.matches())
        {
            throw error(source, line, "bad time " + key + "=" + text +
                " (seconds as 30s or 30, ms as 1500ms, a percent of the window after warm-up as 20%, or end)");
        }
        final double value = Double.parseDouble(m.group(1));
        final String unit = m.group(2);
        if ("%".equals(unit))
        {
            if (value > 100)
            {
                throw error(source, line, key + "=" + text + " is beyond the run (more than 100% of the window)");
            }
            return new Time(TimeUnit.PERCENT, value, text);
        }
        final double seconds = "ms".equals(unit) ? value / 1000.0 : value;
        if (seconds > MAX_SECONDS)
        {
            throw error(source, line, key + "=" + text + " is beyond the run");
        }
        return new Time(TimeUnit.SECONDS, seconds, text);
    }

    private static long duration(final String key, final String text, final String source, final int line)
    {
        final Matcher m = DURATION.matcher(text);
        if (!m.matches())
        {
            throw error(source, line, "bad duration " + key + "=" + text + " (as 2s or 500ms)");
        }
        final double value = Double.parseDouble(m.group(1));
        final double seconds = "ms".equals(m.group(2)) ? value / 1000.0 : value;
        if (seconds > MAX_SECONDS)
        {
            throw error(source, line, key + "=" + text + " is too long");
        }
        final long ns = Math.round(seconds * 1e9);
        if (ns <= 0)
        {
            throw error(source, line, key + "=" + text + " must be more than 0");
        }
        return ns;
    }

    private static double loss(final String text, final String source, final int line)
    {
        final Matcher m = LOSS.matcher(text);
        if (!m.matches())
        {
            throw error(source, line, "bad loss=" + text + " (as 2% or 0.02)");
        }
        final double value = Double.parseDouble(m.group(1));
        final double loss = m.group(2) != null ? value / 100.0 : value;
        if (loss > 1)
        {
            throw error(source, line, "loss=" + text + " is outside 0..1 (0%..100%)");
        }
        return loss;
    }

    /**
     * @return {percent of base, ms}.
     */
    private static double[] delay(final String text, final String source, final int line)
    {
        final String usage = "bad delay=" + text + " (as +80%, +20ms or +80%+20ms)";
        final Matcher m = DELAY_TERM.matcher(text);
        double percent = Double.NaN;
        double ms = Double.NaN;
        int at = 0;
        while (at < text.length())
        {
            if (!m.find(at) || m.start() != at)
            {
                throw error(source, line, usage);
            }
            final double value = Double.parseDouble(m.group(1));
            if ("%".equals(m.group(2)) && Double.isNaN(percent) && Double.isNaN(ms))
            {
                percent = value;
            }
            else if ("ms".equals(m.group(2)) && Double.isNaN(ms))
            {
                ms = value;
            }
            else
            {
                throw error(source, line, usage);
            }
            at = m.end();
        }
        percent = Double.isNaN(percent) ? 0 : percent;
        ms = Double.isNaN(ms) ? 0 : ms;
        if (!(percent + ms > 0) || Double.isInfinite(percent) || ms > MAX_SECONDS * 1000)
        {
            throw error(source, line, "delay=" + text + " must add a positive, finite delay");
        }
        return new double[]{percent, ms};
    }

    private static IllegalArgumentException error(final String source, final int line, final String reason)
    {
        return new IllegalArgumentException("scenario " + source + ":" + line + ": " + reason);
    }

    private static String seconds(final long ns)
    {
        final String s = String.format(Locale.ROOT, "%.3f", ns / 1e9);
        return s.replaceAll("\\.?0+$", "");
    }
}
