package io.flyover.bench.pipeline;

/**
 * Settings of one harness run. Immutable.
 *
 * @param flows          active flows in total, split evenly across the workers.
 * @param seconds        measured time per stage.
 * @param warmupSeconds  warm-up time per stage before it is measured.
 * @param threads        workers, each with its own three pipelines, flow tables and flow subset.
 * @param zipfExponent   Zipf exponent of the sending order; ignored when {@code uniform}.
 * @param uniform        every flow equally likely (the worst case for the caches).
 */
public record PipelineOptions(
    int flows, double seconds, double warmupSeconds, int threads, double zipfExponent, boolean uniform)
{
    /** Default number of active flows. */
    public static final int DEFAULT_FLOWS = 1_000_000;
    /** Default measured seconds per stage. */
    public static final double DEFAULT_SECONDS = 5;
    /** Default warm-up seconds per stage. */
    public static final double DEFAULT_WARMUP_SECONDS = 1;
    /** Default Zipf exponent. */
    public static final double DEFAULT_ZIPF = 1.0;

    /**
     * Validates.
     */
    public PipelineOptions
    {
        if (threads < 1 || threads > 256)
        {
            throw new IllegalArgumentException("threads out of range 1..256: " + threads);
        }
        if (flows < threads)
        {
            throw new IllegalArgumentException("need at least one flow per thread: " + flows);
        }
        if (!(seconds > 0) || seconds > 3600)
        {
            throw new IllegalArgumentException("seconds out of range (0, 3600]: " + seconds);
        }
        if (!(warmupSeconds >= 0) || warmupSeconds > 3600)
        {
            throw new IllegalArgumentException("warm-up seconds out of range [0, 3600]: " + warmupSeconds);
        }
        if (!uniform && (!(zipfExponent > 0) || zipfExponent > 10))
        {
            throw new IllegalArgumentException("Zipf exponent out of range (0, 10]: " + zipfExponent);
        }
    }

    /**
     * @return the defaults: 1M flows, Zipf 1.0, one thread, 5 s per stage after 1 s of warm-up.
     */
    public static PipelineOptions defaults()
    {
        return new PipelineOptions(DEFAULT_FLOWS, DEFAULT_SECONDS, DEFAULT_WARMUP_SECONDS, 1, DEFAULT_ZIPF, false);
    }

    /**
     * @return the exponent the sampler uses: 0 for uniform.
     */
    public double samplerExponent()
    {
        return uniform ? 0 : zipfExponent;
    }
}
