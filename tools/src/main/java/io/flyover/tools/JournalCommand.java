package io.flyover.tools;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.locks.LockSupport;

import io.flyover.optimizer.journal.JournalFormat;
import io.flyover.optimizer.journal.JournalRecord;
import io.flyover.tools.config.ConfigLoader;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code flyover journal}: reads the optimizer's journal (a Chronicle Queue directory) without
 * disturbing the gateway writing it. {@code tail} prints the newest entries one per line, oldest
 * first, and with {@code --follow} keeps printing new ones until interrupted.
 */
@Command(
    name = "journal",
    description = "Read the optimizer's journal of measurements and decisions.",
    subcommands = {JournalCommand.Tail.class, CommandLine.HelpCommand.class})
public final class JournalCommand implements Runnable
{
    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Option(names = { "-h", "--help" }, usageHelp = true, description = "Show this help message and exit.")
    boolean help;

    @Override
    public void run()
    {
        spec.commandLine().usage(spec.commandLine().getOut());
    }

    /**
     * {@code flyover journal tail}.
     */
    @Command(
        name = "tail",
        description = {"Print the newest journal entries, oldest first, one per line:",
            "  TIME probe ROUTE seq=N rtt=MS | lost ROUTE seq=N | link FROM>TO rtt=MS loss=F",
            "  | path ROUTE up|down | weights dst=POP preferred=ROUTE ROUTE=SHARE..."})
    public static final class Tail implements Callable<Integer>
    {
        /** Where the journal is when neither --dir nor --config says. */
        static final String DEFAULT_DIR = "/var/lib/flyover/journal";

        @CommandLine.Spec
        CommandLine.Model.CommandSpec spec;

        @Option(names = { "-h", "--help" }, usageHelp = true, description = "Show this help message and exit.")
        boolean help;

        @Option(names = "--dir", paramLabel = "DIR", description = "The journal directory (default: the config's "
            + "journal-dir, else " + DEFAULT_DIR + ").")
        Path dir;

        @Option(names = "--config", paramLabel = "FILE", description = "Take the journal directory from this POP's configuration.")
        Path config;

        @Option(names = "-n", paramLabel = "N", description = "Entries to print (default: 20).")
        int count = 20;

        @Option(names = { "-f", "--follow" }, description = "Keep printing new entries as they are written (Ctrl-C stops).")
        boolean follow;

        @Override
        public Integer call()
        {
            final PrintWriter out = spec.commandLine().getOut();
            final PrintWriter err = spec.commandLine().getErr();
            if (count < 0 || count > 10_000_000)
            {
                err.println("flyover journal tail: -n must be 0..10000000, got " + count);
                err.flush();
                return 2;
            }
            Path journal = null == dir ? Path.of(DEFAULT_DIR) : dir;
            if (null == dir && null != config)
            {
                final ConfigLoader.Result result = ConfigLoader.load(config);
                if (!result.isValid())
                {
                    err.print(result.describe());
                    err.flush();
                    return 2;
                }
                journal = result.config().journalDir();
            }
            if (!JournalFormat.exists(journal))
            {
                err.println("flyover journal tail: no journal in " + journal
                    + " (the gateway writes one when optimizer.enabled and optimizer.journal are true)");
                err.flush();
                return 2;
            }
            final List<JournalRecord> records = JournalFormat.tail(journal, count, Long.MIN_VALUE);
            for (final JournalRecord record : records)
            {
                out.println(record.format());
            }
            out.flush();
            if (follow)
            {
                JournalFormat.follow(journal, record ->
                {
                    out.println(record.format());
                    out.flush();
                }, () -> !Thread.currentThread().isInterrupted(), () -> LockSupport.parkNanos(20_000_000L));
            }
            return 0;
        }
    }
}
