package io.flyover.bench.pipeline;

import java.io.IOException;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BrokenBarrierException;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import io.flyover.dataplane.engine.Pipeline;
import io.flyover.dataplane.flow.FlowEntryDescriptor;

/**
 * The whole-pipeline harness behind {@code flyover bench pipeline}: each worker thread builds its
 * own {@link PipelineRig} over its share of the flows, then all workers run each stage together
 * (ingress, relay, egress, new flows), warm-up first, then measured for a fixed time. Ingress runs
 * in worker-sized batches, every frame prepared before any is finished, as a worker runs edge
 * frames; the other stages run one packet at a time. The clock is read once per
 * {@value #BATCH}-packet batch (as a worker's duty cycle caches it). A stage is bounded in time and in packets. Allocation is read from
 * {@link com.sun.management.ThreadMXBean#getCurrentThreadAllocatedBytes()} around each measured
 * loop, and the worker threads' CPU time too (on a shared, loaded machine, CPU ns per packet is
 * nearer the truth than wall-clock rates). Rates are reported per core (total over the workers
 * divided by their number).
 */
public final class PipelineHarness
{
    /** Packets between clock reads. */
    public static final int BATCH = 1024;

    /** Frames per batch a worker takes from a ring (the gateway's default), for the batched ingress. */
    public static final int WORKER_BATCH = 64;
    /** Upper bound on a stage's rate, to bound its packet count as well as its time. */
    private static final double MAX_PACKETS_PER_SECOND = 500e6;
    private static final long BARRIER_TIMEOUT_MINUTES = 30;
    private static final int STAGE_COUNT = 4;
    private static final String[] STAGE_NAMES = {
        PipelineResult.INGRESS, PipelineResult.RELAY, PipelineResult.EGRESS, PipelineResult.NEW_FLOWS };

    private PipelineHarness()
    {
    }

    /**
     * @return whether Agrona's bounds checks are on in this JVM (the default).
     */
    public static boolean boundsChecks()
    {
        return !Boolean.getBoolean("agrona.disable.bounds.checks");
    }

    /**
     * @return the processor's model name from {@code /proc/cpuinfo}, or the OS architecture.
     */
    public static String cpuModel()
    {
        try
        {
            for (final String line : Files.readAllLines(Path.of("/proc/cpuinfo"), StandardCharsets.UTF_8))
            {
                if (line.startsWith("model name"))
                {
                    final int colon = line.indexOf(':');
                    if (colon > 0)
                    {
                        return line.substring(colon + 1).trim();
                    }
                }
            }
        }
        catch (final IOException | RuntimeException ignored)
        {
            // not Linux, or not readable: fall through
        }
        return System.getProperty("os.arch", "unknown");
    }

    /**
     * Sequence length for a rig: a power of two, about four sends per flow, within [64 Ki, 4 Mi].
     *
     * @param flows the rig's flows.
     * @return the length.
     */
    static int sequenceLength(final int flows)
    {
        final long wanted = Math.min(1L << 22, Math.max(1L << 16, 4L * flows));
        return (int)Long.highestOneBit(wanted - 1) << 1;
    }

    /**
     * Runs the harness.
     *
     * @param options  what to run.
     * @param progress where to report progress (a line per step), or {@code null}.
     * @return the measurements.
     * @throws InterruptedException if interrupted while waiting for the workers.
     */
    public static PipelineResult run(final PipelineOptions options, final PrintWriter progress)
        throws InterruptedException
    {
        final int threads = options.threads();
        final CyclicBarrier barrier = new CyclicBarrier(threads);
        final Worker[] workers = new Worker[threads];
        final Thread[] running = new Thread[threads];
        int first = 0;
        for (int t = 0; t < threads; t++)
        {
            final int flows = options.flows() / threads + (t < options.flows() % threads ? 1 : 0);
            workers[t] = new Worker(t, options, flows, 0x0B00_0000 + first, barrier, 0 == t ? progress : null);
            first += flows;
            running[t] = new Thread(workers[t], "pipeline-worker-" + t);
        }
        for (final Thread thread : running)
        {
            thread.start();
        }
        for (final Thread thread : running)
        {
            thread.join();
        }
        for (final Worker worker : workers)
        {
            if (null != worker.failure)
            {
                throw new IllegalStateException("pipeline worker " + worker.id + " failed", worker.failure);
            }
        }

        final List<PipelineResult.StageResult> stages = new ArrayList<>();
        for (int s = 0; s < STAGE_COUNT; s++)
        {
            double rate = 0;
            long packets = 0;
            long forwarded = 0;
            long allocated = 0;
            long cpuNs = 0;
            for (final Worker worker : workers)
            {
                cpuNs += worker.cpuNs[s];
                rate += worker.packets[s] * 1e9 / worker.elapsedNs[s];
                packets += worker.packets[s];
                forwarded += worker.forwarded[s];
                allocated += worker.allocated[s];
            }
            stages.add(new PipelineResult.StageResult(
                STAGE_NAMES[s], rate / threads, packets, packets - forwarded, (double)allocated / packets,
                (double)cpuNs / packets));
        }
        long ingressBytes = 0;
        long egressBytes = 0;
        for (final Worker worker : workers)
        {
            ingressBytes += worker.ingressCapacity * (long)FlowEntryDescriptor.ENTRY_LENGTH;
            egressBytes += worker.egressCapacity * (long)FlowEntryDescriptor.ENTRY_LENGTH;
        }
        return new PipelineResult(stages, options.flows(), options.uniform() ? null : options.zipfExponent(),
            threads, cpuModel(), boundsChecks(),
            (double)ingressBytes / options.flows(), (double)egressBytes / options.flows());
    }

    /**
     * Runs from a plain {@code java} command line: {@code [flows] [seconds] [threads] [zipf|uniform]}.
     *
     * @param args optional positional settings.
     * @throws InterruptedException if interrupted.
     */
    public static void main(final String[] args) throws InterruptedException
    {
        final PipelineOptions defaults = PipelineOptions.defaults();
        final boolean uniform = args.length > 3 && "uniform".equals(args[3]);
        final PipelineOptions options = new PipelineOptions(
            args.length > 0 ? Integer.parseInt(args[0]) : defaults.flows(),
            args.length > 1 ? Double.parseDouble(args[1]) : defaults.seconds(),
            defaults.warmupSeconds(),
            args.length > 2 ? Integer.parseInt(args[2]) : defaults.threads(),
            args.length > 3 && !uniform ? Double.parseDouble(args[3]) : defaults.zipfExponent(),
            uniform);
        final PrintStream out = System.out;
        final PipelineResult result = run(options, new PrintWriter(System.err, true));
        out.print(result.toTable());
        out.println(result.toJson());
    }

    /**
     * One worker: its own rig, its share of the flows, its figures. Runs on its own thread.
     */
    private static final class Worker implements Runnable
    {
        private final int id;
        private final PipelineOptions options;
        private final int flows;
        private final int clientBase;
        private final CyclicBarrier barrier;
        private final PrintWriter progress;
        private final long[] packets = new long[STAGE_COUNT];
        private final long[] forwarded = new long[STAGE_COUNT];
        private final long[] elapsedNs = new long[STAGE_COUNT];
        private final long[] allocated = new long[STAGE_COUNT];
        private final long[] cpuNs = new long[STAGE_COUNT];
        private int ingressCapacity;
        private int egressCapacity;
        private PipelineRig rig;
        private volatile Throwable failure;

        Worker(
            final int id,
            final PipelineOptions options,
            final int flows,
            final int clientBase,
            final CyclicBarrier barrier,
            final PrintWriter progress)
        {
            this.id = id;
            this.options = options;
            this.flows = flows;
            this.clientBase = clientBase;
            this.barrier = barrier;
            this.progress = progress;
        }

        private void say(final String message)
        {
            if (null != progress)
            {
                progress.println(message);
                progress.flush();
            }
        }

        @Override
        public void run()
        {
            try
            {
                say("building " + options.threads() + " worker rig(s) of ~" + flows + " flows (3 POPs each)...");
                rig = new PipelineRig(flows, clientBase, options.samplerExponent(), sequenceLength(flows),
                    0x5EED_0000L + id);
                ingressCapacity = rig.ingressFlowTable().capacity();
                egressCapacity = rig.egressFlowTable().capacity();
                if (rig.prefillDrops() > 0)
                {
                    say("warning: " + rig.prefillDrops() + " packets dropped while filling the flow tables");
                }
                final com.sun.management.ThreadMXBean threadBean =
                    (com.sun.management.ThreadMXBean)ManagementFactory.getThreadMXBean();
                final long warmupNs = (long)(options.warmupSeconds() * 1e9);
                final long measureNs = (long)(options.seconds() * 1e9);
                final long maxPackets = (long)(options.seconds() * MAX_PACKETS_PER_SECOND);
                final long maxWarmupPackets = (long)(options.warmupSeconds() * MAX_PACKETS_PER_SECOND);
                final long[] out = new long[2];
                for (int stage = 0; stage < STAGE_COUNT; stage++)
                {
                    await();
                    say("stage " + STAGE_NAMES[stage] + ": warm-up " + options.warmupSeconds() + " s, measure " +
                        options.seconds() + " s");
                    if (warmupNs > 0)
                    {
                        loop(stage, warmupNs, maxWarmupPackets, out);
                    }
                    await();
                    final long allocatedBefore = threadBean.getCurrentThreadAllocatedBytes();
                    final long cpuBefore = threadBean.getCurrentThreadCpuTime();
                    final long start = System.nanoTime();
                    loop(stage, measureNs, maxPackets, out);
                    elapsedNs[stage] = System.nanoTime() - start;
                    cpuNs[stage] = threadBean.getCurrentThreadCpuTime() - cpuBefore;
                    allocated[stage] = threadBean.getCurrentThreadAllocatedBytes() - allocatedBefore;
                    packets[stage] = out[0];
                    forwarded[stage] = out[1];
                }
            }
            catch (final Throwable ex)
            {
                failure = ex;
                barrier.reset();
            }
            finally
            {
                if (null != rig)
                {
                    rig.close();
                }
            }
        }

        private void await() throws InterruptedException, BrokenBarrierException, TimeoutException
        {
            barrier.await(BARRIER_TIMEOUT_MINUTES, TimeUnit.MINUTES);
        }

        /**
         * Runs one stage for {@code durationNs} or {@code maxPackets}, whichever comes first.
         * Writes packets sent and packets forwarded to {@code out}. Allocates nothing.
         */
        private void loop(final int stage, final long durationNs, final long maxPackets, final long[] out)
        {
            final PipelineRig rig = this.rig;
            final long start = System.nanoTime();
            long now = start;
            long sent = 0;
            long forwarded = 0;
            int position = 0;
            while (sent < maxPackets && now - start < durationNs)
            {
                switch (stage)
                {
                    case 0 -> forwarded += ingressBatch(rig, position, now);
                    case 1 -> forwarded += relayBatch(rig, position, now);
                    case 2 -> forwarded += egressBatch(rig, position, now);
                    default -> forwarded += newFlowBatch(rig);
                }
                position += BATCH;
                sent += BATCH;
                now = System.nanoTime();
            }
            out[0] = sent;
            out[1] = forwarded;
        }

        private static int ingressBatch(final PipelineRig rig, final int position, final long nowNs)
        {
            // in worker-sized batches, prepared then finished, as WorkerAgent runs edge frames
            int forwarded = 0;
            for (int i = 0; i < BATCH; i += WORKER_BATCH)
            {
                forwarded += rig.ingressBatch(position + i, WORKER_BATCH, nowNs);
            }
            return forwarded;
        }

        private static int relayBatch(final PipelineRig rig, final int position, final long nowNs)
        {
            int forwarded = 0;
            for (int i = 0; i < BATCH; i++)
            {
                if (Pipeline.TO_BACKBONE == rig.relay(position + i, nowNs))
                {
                    forwarded++;
                }
            }
            return forwarded;
        }

        private static int egressBatch(final PipelineRig rig, final int position, final long nowNs)
        {
            int forwarded = 0;
            for (int i = 0; i < BATCH; i++)
            {
                if (Pipeline.TO_ORIGIN == rig.egress(position + i, nowNs))
                {
                    forwarded++;
                }
            }
            return forwarded;
        }

        private static int newFlowBatch(final PipelineRig rig)
        {
            int forwarded = 0;
            for (int i = 0; i < BATCH; i++)
            {
                if (Pipeline.TO_BACKBONE == rig.newFlow())
                {
                    forwarded++;
                }
            }
            return forwarded;
        }
    }
}
