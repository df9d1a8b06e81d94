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
}
