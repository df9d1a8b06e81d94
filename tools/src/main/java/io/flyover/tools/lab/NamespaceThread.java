package io.flyover.tools.lab;

import io.flyover.nativeio.Libc;
import io.flyover.nativeio.LinuxConstants;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * One platform thread moved into a network namespace with {@code setns(2)}. A namespace is a
 * property of each Linux thread, so every socket this thread opens (a TCP connection to a
 * gateway's admin API on that namespace's 127.0.0.1, an AF_PACKET sniffer, a UDP generator)
 * lives in the namespace, while the rest of the JVM stays where it was. Tasks run in order on
 * the one thread; {@link #close()} ends it.
 */
public final class NamespaceThread implements AutoCloseable
{
    private final String namespace;
    private final ExecutorService executor;

    private NamespaceThread(final String namespace)
    {
        this.namespace = namespace;
        this.executor = Executors.newSingleThreadExecutor(r ->
        {
            final Thread thread = new Thread(r, "netns-" + namespace);
            thread.setDaemon(true);
            return thread;
        });
    }

    /**
     * Start a thread inside a namespace made by {@code ip netns add}.
     *
     * @param namespace the namespace's name (under /var/run/netns).
     * @return the thread, ready for tasks.
     * @throws LabException when the namespace cannot be entered.
     */
    public static NamespaceThread enter(final String namespace)
    {
        final NamespaceThread thread = new NamespaceThread(namespace);
        try
        {
            thread.call(() ->
            {
                setns("/var/run/netns/" + namespace);
                return null;
            }, 10_000);
        }
        catch (final RuntimeException ex)
        {
            thread.close();
            throw ex;
        }
        return thread;
    }

    private static void setns(final String path)
    {
        try (Arena arena = Arena.ofConfined())
        {
            final MemorySegment errno = Libc.allocateErrno(arena);
            final int fd = Libc.open(errno, arena.allocateFrom(path).address(),
                LinuxConstants.O_RDONLY | LinuxConstants.O_CLOEXEC, 0);
            if (fd < 0)
            {
                throw new LabException("open " + path + " failed: " + Libc.strerror(Libc.errno(errno)));
            }
            try
            {
                if (Libc.setns(errno, fd, LinuxConstants.CLONE_NEWNET) < 0)
                {
                    throw new LabException("setns " + path + " failed: " + Libc.strerror(Libc.errno(errno)));
                }
            }
            finally
            {
                Libc.close(errno, fd);
            }
        }
    }

    /**
     * @return the namespace this thread lives in.
     */
    public String namespace()
    {
        return namespace;
    }

    /**
     * Run a task on the thread without waiting.
     *
     * @param task the task.
     * @param <T>  its result type.
     * @return its future.
     */
    public <T> Future<T> submit(final Callable<T> task)
    {
        return executor.submit(task);
    }

    /**
     * Run a task on the thread and wait for it.
     *
     * @param task      the task.
     * @param timeoutMs how long to wait.
     * @param <T>       its result type.
     * @return its result.
     * @throws LabException when it fails or runs over time.
     */
    public <T> T call(final Callable<T> task, final long timeoutMs)
    {
        return await(submit(task), timeoutMs, namespace);
    }

    /**
     * Wait for a task's result.
     *
     * @param future    the task.
     * @param timeoutMs how long to wait.
     * @param what      what it does, for the error.
     * @param <T>       its result type.
     * @return its result.
     * @throws LabException when it failed or ran over time (it is then cancelled).
     */
    public static <T> T await(final Future<T> future, final long timeoutMs, final String what)
    {
        try
        {
            return future.get(timeoutMs, TimeUnit.MILLISECONDS);
        }
        catch (final ExecutionException ex)
        {
            final Throwable cause = ex.getCause();
            if (cause instanceof LabException lab)
            {
                throw lab;
            }
            throw new LabException(what + ": " + cause, cause);
        }
        catch (final TimeoutException ex)
        {
            future.cancel(true);
            throw new LabException(what + ": no result within " + timeoutMs + " ms", ex);
        }
        catch (final InterruptedException ex)
        {
            future.cancel(true);
            Thread.currentThread().interrupt();
            throw new LabException(what + ": interrupted", ex);
        }
    }

    @Override
    public void close()
    {
        executor.shutdownNow();
        try
        {
            executor.awaitTermination(5, TimeUnit.SECONDS);
        }
        catch (final InterruptedException ex)
        {
            Thread.currentThread().interrupt();
        }
    }
}
