package io.flyover.nativeio;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * A thread attached to an existing namespace sees that namespace (not the caller's), and closing
 * it leaves the namespace; closing the created one deletes it.
 */
class NetworkNamespaceTest
{
    @Test
    void shouldRunAttachedThreadInsideTheNamespaceAndLeaveItOnClose() throws Exception
    {
        assumeTrue(NetworkNamespace.isRoot(), "needs root to create a network namespace");
        final Path netns = Path.of("/var/run/netns");
        final NetworkNamespace created = NetworkNamespace.create("fo-nstest-");
        final String name = created.name();
        try
        {
            final String outside = netNamespaceId();
            final String inCreated = created.call(NetworkNamespaceTest::netNamespaceId);
            assertNotEquals(outside, inCreated);
            try (NetworkNamespace attached = NetworkNamespace.attach(name))
            {
                assertEquals(name, attached.name());
                assertEquals(inCreated, attached.submit(NetworkNamespaceTest::netNamespaceId).get(10, TimeUnit.SECONDS));
            }
            assertTrue(Files.exists(netns.resolve(name)), "closing an attached thread must keep the namespace");
        }
        finally
        {
            created.close();
        }
        assertFalse(Files.exists(netns.resolve(name)), "closing the created namespace must delete it");
    }

    @Test
    void shouldRefuseToAttachToAMissingNamespace()
    {
        assumeTrue(NetworkNamespace.isRoot(), "needs root to enter a network namespace");
        final NativeIoException ex = assertThrows(NativeIoException.class,
            () -> NetworkNamespace.attach("fo-nstest-missing-0"));
        assertTrue(ex.getMessage().contains("/var/run/netns/fo-nstest-missing-0"), ex.getMessage());
    }

    private static String netNamespaceId() throws IOException
    {
        return Files.readSymbolicLink(Path.of("/proc/thread-self/ns/net")).toString();
    }
}
