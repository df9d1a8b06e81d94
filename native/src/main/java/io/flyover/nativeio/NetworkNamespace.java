package io.flyover.nativeio;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;

/**
 * A network namespace made for a test or a measurement ({@code <prefix><random>}), or an existing
 * named one ({@link #attach}), and a dedicated daemon thread moved into it with {@code setns}:
 * namespaces are per thread on Linux, so sockets, TUN and AF_PACKET fds opened on that thread (and
 * threads it starts) belong to the namespace. {@link #close()} ends the thread and, for a namespace
 * {@link #create}d here, deletes the namespace, and with it every interface created inside.
 * <p>
 * Needs root (or CAP_SYS_ADMIN and CAP_NET_ADMIN). Commands ({@code ip}) run as child processes
 * with a bounded wait; failures name the command and its output.
 */
public final class NetworkNamespace implements AutoCloseable
{
    private static final String IP = Files.isExecutable(Path.of("/usr/sbin/ip")) ? "/usr/sbin/ip" : "/sbin/ip";
    private static final long COMMAND_TIMEOUT_MS = 10_000;

    private final String name;
    private final boolean owned;
    private final ExecutorService thread;

    private NetworkNamespace(final String name, final boolean owned)
    {
        this.name = name;
        this.owned = owned;
        thread = Executors.newSingleThreadExecutor(r ->
        {
            final Thread t = new Thread(r, "netns-" + name);
            t.setDaemon(true);
            return t;
        });
    }

    /**
     * @return whether this process runs as root (user id 0).
     */
    public static boolean isRoot()
    {
        try
        {
            final Process process = new ProcessBuilder("id", "-u").redirectErrorStream(true).start();
            final String out = new String(process.getInputStream().readAllBytes(), StandardCharsets.US_ASCII).trim();
            return process.waitFor(5, TimeUnit.SECONDS) && "0".equals(out);
        }
        catch (final IOException ex)
        {
            return false;
        }
        catch (final InterruptedException ex)
        {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    /**
     * @return the namespace's name, as {@code ip netns} lists it.
     */
    public String name()
    {
        return name;
    }

    /**
     * @return the path of the {@code ip} command.
     */
    public static String ipCommand()
    {
        return IP;
    }

    /**
     * Creates a namespace named {@code flyover-nio-<random>} with its loopback up.
     *
     * @return the namespace and its thread.
     */
    public static NetworkNamespace create()
    {
        return create("flyover-nio-");
    }

    /**
     * Creates a namespace named {@code <prefix><random hex>} with its loopback up.
     *
     * @param prefix the name's start; keep prefix plus 10 hex digits within the kernel's limits.
     * @return the namespace and its thread.
     */
    public static NetworkNamespace create(final String prefix)
    {
        final String name = prefix + Long.toHexString(ThreadLocalRandom.current().nextLong() & 0xFFFFFFFFFFL);
        run(IP, "netns", "add", name);
        final NetworkNamespace ns = new NetworkNamespace(name, true);
        try
        {
            ns.enter();
            ns.ip("link", "set", "lo", "up");
        }
        catch (final RuntimeException ex)
        {
            ns.close();
            throw ex;
        }
        return ns;
    }

    /**
     * Moves a new thread into an existing namespace made by {@code ip netns add}; {@link #close()}
     * ends the thread and leaves the namespace as it is.
     *
     * @param name the namespace's name (under /var/run/netns).
     * @return the namespace and its thread.
     * @throws NativeIoException naming {@code open} or {@code setns} and the path if it cannot be entered.
     */
    public static NetworkNamespace attach(final String name)
    {
        final NetworkNamespace ns = new NetworkNamespace(name, false);
        try
        {
            ns.enter();
        }
        catch (final RuntimeException ex)
        {
            ns.close();
            throw ex;
        }
        return ns;
    }

    private void enter()
    {
        call(() ->
        {
            try (SetupCalls setup = new SetupCalls())
            {
                final String path = "/var/run/netns/" + name;
                final int fd = setup.check(
                    Libc.open(setup.errno, setup.cString(path), LinuxConstants.O_RDONLY | LinuxConstants.O_CLOEXEC, 0),
                    "open", path);
                try
                {
                    setup.check(Libc.setns(setup.errno, fd, LinuxConstants.CLONE_NEWNET), "setns", path);
                }
                finally
                {
                    Libc.close(setup.errno, fd);
                }
            }
            return null;
        });
    }

    /**
     * Runs {@code ip -n <namespace> args...}.
     *
     * @param args the arguments after the namespace.
     * @throws IllegalStateException naming the command and its output if it fails or times out.
     */
    public void ip(final String... args)
    {
        final List<String> command = new ArrayList<>(List.of(IP, "-n", name));
        command.addAll(List.of(args));
        run(command.toArray(String[]::new));
    }

    /**
     * Runs a task on the thread inside the namespace without waiting; tasks run in order.
     *
     * @param task the task.
     * @param <T>  its result type.
     * @return its future.
     */
    public <T> Future<T> submit(final Callable<T> task)
    {
        return thread.submit(task);
    }

    /**
     * Runs a task on the thread inside the namespace and waits for it (at most 20 s).
     *
     * @param task the task.
     * @param <T>  its result type.
     * @return its result.
     * @throws IllegalStateException if it fails with a checked exception or times out; runtime
     *                               exceptions and errors pass through as they are.
     */
    public <T> T call(final Callable<T> task)
    {
        try
        {
            return thread.submit(task).get(20, TimeUnit.SECONDS);
        }
        catch (final java.util.concurrent.ExecutionException ex)
        {
            final Throwable cause = ex.getCause();
            if (cause instanceof RuntimeException re)
            {
                throw re;
            }
            if (cause instanceof Error e)
            {
                throw e;
            }
            throw new IllegalStateException(cause);
        }
        catch (final Exception ex)
        {
            throw new IllegalStateException("task in " + name + " failed", ex);
        }
    }

    /**
     * Runs a command and waits for it (at most 10 s).
     *
     * @param command the program and its arguments.
     * @throws IllegalStateException naming the command and its output if it fails or times out.
     */
    public static void run(final String... command)
    {
        try
        {
            final Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
            final byte[] out = process.getInputStream().readAllBytes();
            if (!process.waitFor(COMMAND_TIMEOUT_MS, TimeUnit.MILLISECONDS))
            {
                process.destroyForcibly();
                throw new IllegalStateException("timed out: " + String.join(" ", command));
            }
            if (0 != process.exitValue())
            {
                throw new IllegalStateException(String.join(" ", command) + " exited " + process.exitValue() + ": " +
                    new String(out, StandardCharsets.UTF_8).trim());
            }
        }
        catch (final IOException ex)
        {
            throw new IllegalStateException(String.join(" ", command), ex);
        }
        catch (final InterruptedException ex)
        {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(String.join(" ", command), ex);
        }
    }

    /**
     * Stops the namespace's thread and, if it was {@link #create}d here, deletes the namespace.
     */
    @Override
    public void close()
    {
        thread.shutdownNow();
        try
        {
            thread.awaitTermination(5, TimeUnit.SECONDS);
        }
        catch (final InterruptedException ex)
        {
            Thread.currentThread().interrupt();
        }
        if (owned)
        {
            run(IP, "netns", "del", name);
        }
    }
}
