package io.flyover.dataplane.engine;

import com.code_intelligence.jazzer.junit.FuzzTest;

/**
 * Jazzer's JUnit face of the whole-pipeline fuzz targets. In the normal test run Jazzer runs in
 * regression mode: each method is invoked once per file of its committed corpus in
 * {@code src/test/resources/io/flyover/dataplane/engine/PipelineFuzzTestInputs/<method>/}, and any
 * exception (a broken invariant included) fails the test. Fuzzing proper runs standalone, one
 * target per JVM, in {@code .ci/fuzz}.
 */
final class PipelineFuzzTest
{
    @FuzzTest
    void edge(final byte[] data)
    {
        EdgePipelineFuzzTarget.fuzzerTestOneInput(data);
    }

    @FuzzTest
    void backbone(final byte[] data)
    {
        BackbonePipelineFuzzTarget.fuzzerTestOneInput(data);
    }

    @FuzzTest
    void origin(final byte[] data)
    {
        OriginPipelineFuzzTarget.fuzzerTestOneInput(data);
    }
}
