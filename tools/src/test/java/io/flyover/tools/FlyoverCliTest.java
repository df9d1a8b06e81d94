package io.flyover.tools;

import java.io.PrintWriter;
import java.io.StringWriter;

import org.junit.jupiter.api.Test;
import picocli.CommandLine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class FlyoverCliTest
{
    private static String run(final int expectedExit, final String... args)
    {
        final StringWriter out = new StringWriter();
        final StringWriter err = new StringWriter();
        final CommandLine cli = FlyoverCli.commandLine();
        cli.setOut(new PrintWriter(out));
        cli.setErr(new PrintWriter(err));
        assertEquals(expectedExit, cli.execute(args), () -> "stderr: " + err);
        return out.toString() + err;
    }

    @Test
    void shouldPrintVersionFromBuild()
    {
        final String out = run(0, "version");
        assertTrue(out.startsWith("flyover 0."), out);
        assertTrue(out.contains("java 25"), out);
    }

    @Test
    void shouldListOnlyWorkingSubcommandsInHelp()
    {
        final String out = run(0, "--help");
        assertTrue(out.contains("version"), out);
        assertTrue(out.contains("Usage: flyover"), out);
    }

    @Test
    void shouldRunWithTheJvmFlagsFromJvmProperties()
    {
        assertEquals("true", System.getProperty("chronicle.analytics.disable"));
        assertEquals("true", System.getProperty("chronicle.announcer.disable"));
    }

    @Test
    void shouldRejectUnknownSubcommandWithUsageExitCode()
    {
        final String out = run(2, "frobnicate");
        assertTrue(out.contains("Unmatched argument"), out);
    }
}
