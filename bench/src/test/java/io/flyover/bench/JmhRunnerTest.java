package io.flyover.bench;

import java.util.Arrays;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertTrue;

class JmhRunnerTest
{
    @Test
    void shouldCarryTheJvmFlagsFromTheBuildIntoForks()
    {
        final String[] flags = JmhRunner.jvmFlags();
        assertTrue(Arrays.asList(flags).contains("-Dchronicle.analytics.disable=true"), Arrays.toString(flags));
        assertTrue(Arrays.asList(flags).contains("--add-exports=java.base/jdk.internal.misc=ALL-UNNAMED"),
            Arrays.toString(flags));
    }

    @Test
    void shouldGiveForksTheSharedFlagsBoundsChecksOffAndCommandLineExtras() throws Exception
    {
        final java.util.List<String> forkArgs = Arrays.asList(JmhRunner.forkArgs(
            new org.openjdk.jmh.runner.options.CommandLineOptions("-jvmArgsAppend", "-Dextra=1")));
        assertTrue(forkArgs.contains("--add-exports=java.base/jdk.internal.misc=ALL-UNNAMED"), forkArgs.toString());
        assertTrue(forkArgs.contains("-Dagrona.disable.bounds.checks=true"), forkArgs.toString());
        assertTrue(forkArgs.contains("-Dextra=1"), forkArgs.toString());
    }
}
