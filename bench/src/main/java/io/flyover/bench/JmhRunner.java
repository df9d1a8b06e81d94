package io.flyover.bench;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Properties;

import org.openjdk.jmh.runner.Runner;
import org.openjdk.jmh.runner.RunnerException;
import org.openjdk.jmh.runner.options.CommandLineOptionException;
import org.openjdk.jmh.runner.options.CommandLineOptions;
import org.openjdk.jmh.runner.options.Options;
import org.openjdk.jmh.runner.options.OptionsBuilder;

/**
 * Runs Flyover's JMH benchmarks with the JVM flags from {@code jvm.properties} appended to every
 * fork, and Agrona's bounds checks off (benchmarks measure the production setting; tests keep
 * the checks on). Takes JMH's own command-line options, e.g. {@code -prof gc} or a regex.
 */
public final class JmhRunner
{
    private JmhRunner()
    {
    }

    /**
     * The flags the build recorded from {@code jvm.properties}.
     *
     * @return the flags, split on whitespace.
     */
    public static String[] jvmFlags()
    {
        try (InputStream in = JmhRunner.class.getResourceAsStream("jvm.properties"))
        {
            if (null == in)
            {
                throw new IllegalStateException("jvm.properties resource missing from the bench module");
            }
            final Properties properties = new Properties();
            properties.load(in);
            final String flags = properties.getProperty("flags", "").trim();
            return flags.isEmpty() ? new String[0] : flags.split("\\s+");
        }
        catch (final IOException ex)
        {
            throw new UncheckedIOException(ex);
        }
    }

    /**
     * The arguments appended to every fork's JVM command line: the shared flags, bounds checks off,
     * then any {@code -jvmArgsAppend} given on the command line. One list, because each
     * {@link OptionsBuilder#jvmArgsAppend} call replaces the previous one (and the parent's).
     *
     * @param commandLine the parsed JMH command line.
     * @return the arguments, in order.
     */
    static String[] forkArgs(final CommandLineOptions commandLine)
    {
        final List<String> forkArgs = new ArrayList<>(Arrays.asList(jvmFlags()));
        forkArgs.add("-Dagrona.disable.bounds.checks=true");
        if (commandLine.getJvmArgsAppend().hasValue())
        {
            forkArgs.addAll(commandLine.getJvmArgsAppend().get());
        }
        return forkArgs.toArray(new String[0]);
    }

    public static void main(final String[] args) throws RunnerException, CommandLineOptionException
    {
        final CommandLineOptions commandLine = new CommandLineOptions(args);
        final Options options = new OptionsBuilder()
            .parent(commandLine)
            .jvmArgsAppend(forkArgs(commandLine))
            .build();
        new Runner(options).run();
    }
}
