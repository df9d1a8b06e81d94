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
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;

/**
 * A network namespace made for one test ({@code flyover-nio-<random>}), and a dedicated thread
 * moved into it with {@code setns}: namespaces are per thread on Linux, so every socket and TUN fd
 * of the test is opened and used on that thread. {@link #close()} deletes the namespace, and with
 * it every interface the test created inside.
 * <p>
 * Test-only; needs root.
 */
final class NetNs implements AutoCloseable
{
    private static final String IP = Files.isExecutable(Path.of("/usr/sbin/ip")) ? "/usr/sbin/ip" : "/sbin/ip";
    private static final long COMMAND_TIMEOUT_MS = 10_000;

    final String name;
    private final ExecutorService thread;

    private NetNs(final String name)
    {
        this.name = name;
        thread = Executors.newSingleThreadExecutor(r -> new Thread(r, "netns-" + name));
    }

    static boolean isRoot()
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
     * @return the path of the {@code ip} command.
     */
    static String ipCommand()
    {
        return IP;
    }

    static NetNs create()
    {
        final String name = "flyover-nio-" + Long.toHexString(ThreadLocalRandom.current().nextLong() & 0xFFFFFFFFFFL);
        run(IP, "netns", "add", name);
        final NetNs ns = new NetNs(name);
        try
        {
            ns.call(() ->
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
     * Run {@code ip -n <ns> args...}.
     */
    void ip(final String... args)
    {
        final List<String> command = new ArrayList<>(List.of(IP, "-n", name));
        command.addAll(List.of(args));
        run(command.toArray(String[]::new));
    }

    /**
     * Run a task on the thread inside the namespace and wait for it (bounded).
     */
    <T> T call(final Callable<T> task)
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

    static void run(final String... command)
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
        run(IP, "netns", "del", name);
    }
}
