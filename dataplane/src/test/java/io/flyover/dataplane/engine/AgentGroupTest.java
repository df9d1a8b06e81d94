package io.flyover.dataplane.engine;

import java.util.List;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

import org.agrona.concurrent.Agent;
import org.agrona.concurrent.BackoffIdleStrategy;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class AgentGroupTest
{
    private static final class CountingAgent implements Agent
    {
        final String role;
        final AtomicLong work = new AtomicLong();
        final Set threads;

        CountingAgent(final String role, final Set threads)
        {
            this.role = role;
            this.threads = threads;
        }

        @Override
        public int doWork()
        {
            threads.names.add(Thread.currentThread().getName());
            work.incrementAndGet();
            return 1;
        }

        @Override
        public String roleName()
        {
            return role;
        }
    }

    private static final class Set
    {
        final java.util.Set<String> names = ConcurrentHashMap.newKeySet();
    }

    private static void awaitWork(final CountingAgent... agents) throws InterruptedException
    {
        final long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        for (final CountingAgent agent : agents)
        {
            while (agent.work.get() < 100 && System.nanoTime() < deadline)
            {
                Thread.sleep(1);
            }
            assertTrue(agent.work.get() >= 100, agent.role + " did not run");
        }
    }

    @Test
    @Timeout(20)
    void shouldRunEveryAgentOnOneThreadInSharedMode() throws InterruptedException
    {
        final Set threads = new Set();
        final CountingAgent a = new CountingAgent("a", threads);
        final CountingAgent b = new CountingAgent("b", threads);
        try (AgentGroup group = new AgentGroup(
            ThreadingMode.SHARED, List.of(a, b), BackoffIdleStrategy::new, Throwable::printStackTrace, null))
        {
            assertEquals(1, group.threadCount());
            awaitWork(a, b);
        }
        assertEquals(1, threads.names.size(), threads.names::toString);
    }

    @Test
    @Timeout(20)
    void shouldGiveEachAgentItsOwnThreadInDedicatedMode() throws InterruptedException
    {
        final Set threads = new Set();
        final CountingAgent a = new CountingAgent("a", threads);
        final CountingAgent b = new CountingAgent("b", threads);
        try (AgentGroup group = new AgentGroup(
            ThreadingMode.DEDICATED, List.of(a, b), BackoffIdleStrategy::new, Throwable::printStackTrace, null))
        {
            assertEquals(2, group.threadCount());
            awaitWork(a, b);
        }
        assertEquals(java.util.Set.of("a", "b"), threads.names);
    }
}
