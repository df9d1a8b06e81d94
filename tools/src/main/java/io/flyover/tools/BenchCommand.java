package io.flyover.tools;

import java.io.PrintWriter;
import java.util.concurrent.Callable;

import io.flyover.bench.pipeline.PipelineHarness;
import io.flyover.bench.pipeline.PipelineOptions;
import io.flyover.bench.pipeline.PipelineResult;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code flyover bench}: performance harnesses. Runs on the main thread; the harness starts its
 * own worker threads.
 */
@Command(
    name = "bench",
    description = "Measure Flyover's data plane.",
    subcommands = { BenchCommand.PipelineCommand.class, CommandLine.HelpCommand.class })
public final class BenchCommand implements Runnable
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
     * {@code flyover bench pipeline}: whole pipelines (ingress, relay, egress, new flows) over a
     * large Zipf or uniform flow set; see {@link PipelineHarness}.
     */
    @Command(
        name = "pipeline",
        description = {
            "Drive 64-byte IPv4/UDP packets through an ingress POP (A), a relay (B) and an egress POP (C) "
                + "over N active flows, one packet at a time on each worker, and report per-core rates, "
                + "new flows per second, flow-table bytes per flow and bytes allocated per packet.",
            "Agrona bounds checks are on unless -Dagrona.disable.bounds.checks=true "
                + "(FLYOVER_JAVA_OPTS=-Dagrona.disable.bounds.checks=true ./flyover bench pipeline)."
        })
    static final class PipelineCommand implements Callable<Integer>
    {
        @CommandLine.Spec
        CommandLine.Model.CommandSpec spec;

        @Option(names = { "-h", "--help" }, usageHelp = true, description = "Show this help message and exit.")
        boolean help;

        @Option(names = "--flows", paramLabel = "N", description = "Active flows (default: ${DEFAULT-VALUE}).")
        int flows = PipelineOptions.DEFAULT_FLOWS;

        @Option(names = "--seconds", paramLabel = "S",
            description = "Measured seconds per stage (default: ${DEFAULT-VALUE}).")
        double seconds = PipelineOptions.DEFAULT_SECONDS;

        @Option(names = "--warmup", paramLabel = "S",
            description = "Warm-up seconds per stage (default: ${DEFAULT-VALUE}).")
        double warmup = PipelineOptions.DEFAULT_WARMUP_SECONDS;

        @Option(names = "--threads", paramLabel = "T",
            description = "Workers, each with its own pipelines, flow tables and 1/T of the flows "
                + "(default: ${DEFAULT-VALUE}). Rates are per core: total / T.")
        int threads = 1;

        @CommandLine.ArgGroup(exclusive = true, multiplicity = "0..1")
        Distribution distribution;

        @Option(names = "--json", description = "Print one JSON object instead of the table.")
        boolean json;

        /**
         * {@code --zipf S} or {@code --uniform}, not both.
         */
        static final class Distribution
        {
            @Option(names = "--zipf", paramLabel = "S",
                description = "Zipf exponent of which flow sends next (default: 1.0).")
            Double zipf;

            @Option(names = "--uniform", description = "Every flow equally likely (the worst case).")
            boolean uniform;
        }

        @Override
        public Integer call() throws InterruptedException
        {
            final boolean uniform = null != distribution && distribution.uniform;
            final double zipf = null != distribution && null != distribution.zipf ?
                distribution.zipf : PipelineOptions.DEFAULT_ZIPF;
            final PipelineOptions options;
            try
            {
                options = new PipelineOptions(flows, seconds, warmup, threads, zipf, uniform);
            }
            catch (final IllegalArgumentException ex)
            {
                throw new CommandLine.ParameterException(spec.commandLine(), ex.getMessage(), ex);
            }
            final PrintWriter out = spec.commandLine().getOut();
            final PrintWriter err = spec.commandLine().getErr();
            err.println("agrona bounds checks: " + (PipelineHarness.boundsChecks() ?
                "ON (FLYOVER_JAVA_OPTS=-Dagrona.disable.bounds.checks=true to turn them off)" : "off"));
            err.flush();
            final PipelineResult result = PipelineHarness.run(options, err);
            if (json)
            {
                out.println(result.toJson());
            }
            else
            {
                out.print(result.toTable());
            }
            out.flush();
            return 0;
        }
    }
}
