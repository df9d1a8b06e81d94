package io.flyover.bench.pipeline;

import java.util.concurrent.TimeUnit;

import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * One packet through one POP's pipeline, per stage, over an established flow set drawn Zipf
 * (or uniform with {@code -p zipf=0}): A's {@code onEdge} on a flow hit (parse, classify, flow
 * lookup, police, encap, SipHash tag), B's {@code onBackbone} relaying (verify, advance, re-tag)
 * and C's {@code onBackbone} at the egress (verify, decap, flow lookup, DNAT, checksums). Each
 * operation includes copying the pre-generated frame into the frame region. Run through
 * {@link io.flyover.bench.JmhRunner} (bounds checks off), e.g.
 * {@code PipelineStagesBenchmark -prof gc}.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
public class PipelineStagesBenchmark
{
    /** Active flows. */
    @Param("1000000")
    public int flows;

    /** Zipf exponent of the sending order; 0 for uniform. */
    @Param("1.0")
    public double zipf;

    private PipelineRig rig;
    private long nowNs;
    private int position;

    /**
     * Builds the three POPs and fills their flow tables.
     */
    @Setup(Level.Trial)
    public void setUp()
    {
        rig = new PipelineRig(flows, 0x0B00_0000, zipf, PipelineHarness.sequenceLength(flows), 42);
        if (rig.prefillDrops() > 0)
        {
            throw new IllegalStateException(rig.prefillDrops() + " packets dropped while filling the flow tables");
        }
    }

    /**
     * Reads the clock once per iteration, as a worker caches it per duty cycle.
     */
    @Setup(Level.Iteration)
    public void clock()
    {
        nowNs = System.nanoTime();
    }

    /**
     * Frees the flow tables.
     */
    @TearDown(Level.Trial)
    public void tearDown()
    {
        rig.close();
    }

    /**
     * @return the verdict.
     */
    @Benchmark
    public int ingressFlowHit()
    {
        return rig.ingress(position++, nowNs);
    }

    /**
     * @return the verdict.
     */
    @Benchmark
    public int relay()
    {
        return rig.relay(position++, nowNs);
    }

    /**
     * @return the verdict.
     */
    @Benchmark
    public int egress()
    {
        return rig.egress(position++, nowNs);
    }
}
