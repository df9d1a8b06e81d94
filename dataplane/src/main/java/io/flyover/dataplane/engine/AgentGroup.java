package io.flyover.dataplane.engine;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Supplier;

import org.agrona.ErrorHandler;
import org.agrona.concurrent.Agent;
import org.agrona.concurrent.AgentRunner;
import org.agrona.concurrent.CompositeAgent;
import org.agrona.concurrent.IdleStrategy;
import org.agrona.concurrent.status.AtomicCounter;

/**
 * Runs a set of agents in a {@link ThreadingMode}: a thread per agent, or all of them composed
 * on one thread. Threads are named after the agents' roles. Created and closed by the control
 * thread.
 */
public final class AgentGroup implements AutoCloseable
{
    private final List<AgentRunner> runners = new ArrayList<>();
    private final List<Thread> threads = new ArrayList<>();

    /**
     * Starts the agents.
     *
     * @param mode          placement of agents on threads.
     * @param agents        the agents, in the order SHARED mode runs them.
     * @param idleStrategy  a fresh idle strategy per thread.
     * @param errorHandler  told of any exception an agent throws (a bug: agents return codes).
     * @param errorCounter  counts those exceptions, may be {@code null}.
     */
    public AgentGroup(
        final ThreadingMode mode,
        final List<? extends Agent> agents,
        final Supplier<IdleStrategy> idleStrategy,
        final ErrorHandler errorHandler,
        final AtomicCounter errorCounter)
    {
        if (agents.isEmpty())
        {
            throw new IllegalArgumentException("no agents to run");
        }
        if (mode == ThreadingMode.SHARED)
        {
            final Agent agent = agents.size() == 1 ? agents.get(0) : new CompositeAgent(List.copyOf(agents));
            start(agent, idleStrategy.get(), errorHandler, errorCounter);
        }
        else
        {
            for (final Agent agent : agents)
            {
                start(agent, idleStrategy.get(), errorHandler, errorCounter);
            }
        }
    }

    private void start(
        final Agent agent,
        final IdleStrategy idle,
        final ErrorHandler errorHandler,
        final AtomicCounter errorCounter)
    {
        final AgentRunner runner = new AgentRunner(idle, errorHandler, errorCounter, agent);
        runners.add(runner);
        threads.add(AgentRunner.startOnThread(runner, r ->
        {
            final Thread thread = new Thread(r);
            thread.setDaemon(true);
            return thread;
        }));
    }

    /**
     * @return the number of threads the group runs on.
     */
    public int threadCount()
    {
        return threads.size();
    }

    /**
     * Stops every agent and waits for its thread to finish (agents' {@code onClose} runs there).
     */
    @Override
    public void close()
    {
        for (final AgentRunner runner : runners)
        {
            runner.close();
        }
    }
}
