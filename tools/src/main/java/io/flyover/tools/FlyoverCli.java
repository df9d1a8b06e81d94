package io.flyover.tools;

import io.flyover.tools.demo.DemoCommand;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/**
 * Entry point of the {@code flyover} command line. Runs on the main thread; each subcommand
 * is its own class and appears here only once it works.
 */
@Command(
    name = "flyover",
    mixinStandardHelpOptions = true,
    versionProvider = VersionCommand.Provider.class,
    description = "Flyover: an open anycast acceleration gateway.%n"
        + "Takes client packets for anycast VIPs at the nearest POP, tunnels them (Geneve) across "
        + "the backbone to the region along learned paths, and carries the replies back.",
    subcommands = {
        VersionCommand.class,
        GatewayCommand.class,
        StatusCommand.class,
        BenchCommand.class,
        SimCommand.class,
        LabCommand.class,
        DemoCommand.class,
        JournalCommand.class,
        ReplayCommand.class,
        CommandLine.HelpCommand.class
    })
public final class FlyoverCli implements Runnable
{
    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public void run()
    {
        spec.commandLine().usage(spec.commandLine().getOut());
    }

    /**
     * Builds the command line with Flyover's conventions: exit code 2 for usage errors.
     *
     * @return the configured command line.
     */
    public static CommandLine commandLine()
    {
        return new CommandLine(new FlyoverCli());
    }

    public static void main(final String[] args)
    {
        System.exit(commandLine().execute(args));
    }
}
