package io.flyover.tools;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.Properties;
import java.util.concurrent.Callable;

import picocli.CommandLine;
import picocli.CommandLine.Command;

/**
 * {@code flyover version}: prints Flyover's version and the Java runtime it runs on.
 */
@Command(name = "version", description = "Print Flyover's version and the Java runtime.")
public final class VersionCommand implements Callable<Integer>
{
    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    /**
     * The version of this build, read from the resource the build filled in.
     *
     * @return the version string, e.g. {@code 0.1.0-SNAPSHOT}.
     */
    public static String flyoverVersion()
    {
        try (InputStream in = VersionCommand.class.getResourceAsStream("version.properties"))
        {
            if (null == in)
            {
                return "unknown";
            }
            final Properties properties = new Properties();
            properties.load(in);
            return properties.getProperty("version", "unknown");
        }
        catch (final IOException ex)
        {
            throw new UncheckedIOException(ex);
        }
    }

    static String[] versionLines()
    {
        return new String[] {
            "flyover " + flyoverVersion(),
            "java " + Runtime.version() + " (" + System.getProperty("java.vendor") + ")",
            "os " + System.getProperty("os.name") + " " + System.getProperty("os.version") + " " +
                System.getProperty("os.arch")
        };
    }

    @Override
    public Integer call()
    {
        for (final String line : versionLines())
        {
            spec.commandLine().getOut().println(line);
        }
        return 0;
    }

    /**
     * Supplies {@code flyover --version}.
     */
    public static final class Provider implements CommandLine.IVersionProvider
    {
        @Override
        public String[] getVersion()
        {
            return versionLines();
        }
    }
}
