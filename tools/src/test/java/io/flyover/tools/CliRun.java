package io.flyover.tools;

import io.flyover.tools.gateway.JsonReader;
import picocli.CommandLine;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * One in-process run of the {@code flyover} command line, as the launcher would run it, with its
 * exit code and what it printed on stdout and stderr.
 *
 * @param exit exit code.
 * @param out  standard output.
 * @param err  standard error.
 */
public record CliRun(int exit, String out, String err)
{
    /**
     * @param args the command line after {@code flyover}.
     * @return the run's exit code and output.
     */
    public static CliRun of(final String... args)
    {
        final StringWriter out = new StringWriter();
        final StringWriter err = new StringWriter();
        final CommandLine cli = FlyoverCli.commandLine();
        cli.setOut(new PrintWriter(out));
        cli.setErr(new PrintWriter(err));
        final int exit = cli.execute(args);
        return new CliRun(exit, out.toString(), err.toString());
    }

    /**
     * @return stdout parsed as one JSON object, after asserting the run exited 0.
     */
    @SuppressWarnings("unchecked")
    public Map<String, Object> json()
    {
        assertEquals(0, exit, () -> "exit code; stderr: " + err);
        return (Map<String, Object>)JsonReader.parse(out.trim());
    }
}
