package io.flyover.dataplane.protocol;

import com.code_intelligence.jazzer.junit.FuzzTest;

/**
 * Jazzer's JUnit face of {@link PacketParserFuzzTarget}. In the normal test run (no
 * {@code JAZZER_FUZZ} in the environment) Jazzer runs in regression mode: {@link #parse} is invoked
 * once per file of the committed corpus in
 * {@code src/test/resources/io/flyover/dataplane/protocol/PacketParserFuzzTestInputs/parse/}, and any
 * exception fails the test. Fuzzing proper runs standalone, one target per JVM, in {@code .ci/fuzz}.
 */
final class PacketParserFuzzTest
{
    @FuzzTest
    void parse(final byte[] data)
    {
        PacketParserFuzzTarget.fuzzerTestOneInput(data);
    }
}
