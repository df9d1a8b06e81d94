package io.flyover.tools.lab;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Runs the system commands the lab drives ({@code ip}, {@code iptables}, {@code sysctl}) as
 * processes, bounded in time, turning a non-zero exit into a {@link LabException} that quotes the
 * command and its output. Any thread.
 */
public final class Shell
{
    /** Path of {@code ip}. */
    public static final String IP = find("ip");
    /** Path of {@code iptables}. */
    public static final String IPTABLES = find("iptables");

    private static final long DEFAULT_TIMEOUT_MS = 15_000;

    private Shell()
    {
    }

    /**
     * @param name a program name.
     * @return its path in the usual system folders, or the bare name (left to {@code PATH}).
     */
    public static String find(final String name)
    {
        for (final String dir : List.of("/usr/sbin", "/sbin", "/usr/bin", "/bin", "/usr/local/bin", "/usr/local/sbin"))
        {
            final Path path = Path.of(dir, name);
            if (Files.isExecutable(path))
            {
                return path.toString();
            }
        }
        return name;
    }

    /**
     * @param name a program name.
     * @return whether it is installed.
     */
    public static boolean installed(final String name)
    {
        return !find(name).equals(name);
    }

    /**
     * Run a command and wait for it.
     *
     * @param command the command and its arguments.
     * @return what it printed on stdout and stderr.
     * @throws LabException when it cannot start, exits non-zero or runs over 15 s.
     */
    public static String run(final String... command)
    {
        return run(DEFAULT_TIMEOUT_MS, command);
    }

    /**
     * Run a command and wait for it.
     *
     * @param timeoutMs how long it may run.
     * @param command   the command and its arguments.
     * @return what it printed on stdout and stderr.
     * @throws LabException when it cannot start, exits non-zero or runs over time.
     */
    public static String run(final long timeoutMs, final String... command)
    {
        final Result result = tryRun(timeoutMs, command);
        if (0 != result.exitCode())
        {
            throw new LabException(String.join(" ", command) + " failed (exit " + result.exitCode() + "): "
                + result.output().trim());
        }
        return result.output();
    }

    /**
     * What a command printed and its exit code ({@code -1} if it ran over time and was killed).
     *
     * @param exitCode its exit status.
     * @param output   stdout and stderr together.
     */
    public record Result(int exitCode, String output)
    {
    }

    /**
     * Run a command and wait for it, whatever its exit code.
     *
     * @param timeoutMs how long it may run.
     * @param command   the command and its arguments.
     * @return its exit code and output.
     * @throws LabException when it cannot start.
     */
    public static Result tryRun(final long timeoutMs, final String... command)
    {
        final Process process;
        try
        {
            process = new ProcessBuilder(command).redirectErrorStream(true).start();
        }
        catch (final IOException ex)
        {
            throw new LabException("cannot run " + String.join(" ", command) + ": " + ex.getMessage(), ex);
        }
        try
        {
            process.getOutputStream().close();
            final byte[][] out = new byte[1][];
            final Thread drain = Thread.ofPlatform().daemon().start(() ->
            {
                try
                {
                    out[0] = process.getInputStream().readAllBytes();
                }
                catch (final IOException ex)
                {
                    out[0] = ("(output unreadable: " + ex.getMessage() + ")").getBytes(StandardCharsets.UTF_8);
                }
            });
            if (!process.waitFor(timeoutMs, TimeUnit.MILLISECONDS))
            {
                process.destroyForcibly();
                process.waitFor(5, TimeUnit.SECONDS);
                drain.join(1000);
                return new Result(-1, "timed out after " + timeoutMs + " ms: " + String.join(" ", command));
            }
            drain.join(5000);
            final byte[] bytes = null == out[0] ? new byte[0] : out[0];
            return new Result(process.exitValue(), new String(bytes, StandardCharsets.UTF_8));
        }
        catch (final IOException ex)
        {
            throw new LabException("cannot run " + String.join(" ", command) + ": " + ex.getMessage(), ex);
        }
        catch (final InterruptedException ex)
        {
            process.destroyForcibly();
            Thread.currentThread().interrupt();
            throw new LabException("interrupted: " + String.join(" ", command), ex);
        }
    }

    /**
     * {@code ip} with arguments.
     *
     * @param args the arguments after {@code ip}.
     * @return its output.
     */
    public static String ip(final String... args)
    {
        final List<String> command = new ArrayList<>(args.length + 1);
        command.add(IP);
        command.addAll(List.of(args));
        return run(command.toArray(String[]::new));
    }

    /**
     * {@code ip -n ns} with arguments: a command inside a namespace.
     *
     * @param ns   the namespace.
     * @param args the arguments after {@code ip -n ns}.
     * @return its output.
     */
    public static String ipIn(final String ns, final String... args)
    {
        final List<String> command = new ArrayList<>(args.length + 3);
        command.add(IP);
        command.add("-n");
        command.add(ns);
        command.addAll(List.of(args));
        return run(command.toArray(String[]::new));
    }

    /**
     * A command run inside a namespace: {@code ip netns exec ns command...}.
     *
     * @param ns      the namespace.
     * @param command the command.
     * @return the full command line.
     */
    public static String[] inNamespace(final String ns, final String... command)
    {
        final List<String> full = new ArrayList<>(command.length + 4);
        full.addAll(List.of(IP, "netns", "exec", ns));
        full.addAll(List.of(command));
        return full.toArray(String[]::new);
    }

    /**
     * @return whether this process runs as root (uid 0).
     */
    public static boolean isRoot()
    {
        try
        {
            for (final String line : Files.readAllLines(Path.of("/proc/self/status")))
            {
                if (line.startsWith("Uid:"))
                {
                    return "0".equals(line.split("\\s+")[1]);
                }
            }
            return false;
        }
        catch (final IOException ex)
        {
            return false;
        }
    }
}
