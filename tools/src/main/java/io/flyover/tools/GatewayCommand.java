package io.flyover.tools;

import io.flyover.nativeio.NativeIoException;
import io.flyover.tools.config.ConfigLoader;
import io.flyover.tools.config.GatewayConfig;
import io.flyover.tools.gateway.AdminServer;
import io.flyover.tools.gateway.ConfigCompiler;
import io.flyover.tools.gateway.Gateway;
import io.flyover.tools.gateway.PortOpener;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Callable;

/**
 * {@code flyover gateway --config FILE [--check]}: validates a POP's configuration, and unless
 * {@code --check}, runs the gateway until SIGTERM or SIGINT. SIGHUP reloads the file. Runs on the
 * main thread; signals arrive on the JVM's signal thread.
 */
@Command(
    name = "gateway",
    mixinStandardHelpOptions = true,
    description = {
        "Runs one POP's gateway from a YAML configuration.",
        "Exit codes: 0 stopped cleanly (SIGTERM/SIGINT) or --check passed; 1 a device, the counters "
            + "folder or the admin address could not be opened; 2 the configuration is invalid."
    },
    footer = {
        "",
        "Admin API on admin.listen: GET /metrics, GET /status, POST /admin/reload,",
        "  GET /flows?limit=N&sort=newest|oldest|largest (limit 1..10000, default 100 newest;",
        "  largest ranks by packets, counted per flow entry up to 65,535)."
    })
public final class GatewayCommand implements Callable<Integer>
{
    /** Exit code: the configuration is invalid. */
    public static final int EXIT_INVALID_CONFIG = 2;
    /** Exit code: the gateway could not start (devices, files, admin address). */
    public static final int EXIT_START_FAILED = 1;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Option(names = "--config", required = true, paramLabel = "FILE", description = "the POP's YAML configuration")
    Path configFile;

    @Option(names = "--check", description = "validate and compile the configuration, then exit")
    boolean check;

    @Override
    public Integer call()
    {
        final PrintWriter out = spec.commandLine().getOut();
        final PrintWriter err = spec.commandLine().getErr();
        final GatewayConfig config = load(configFile, err);
        if (null == config)
        {
            err.flush();
            return EXIT_INVALID_CONFIG;
        }
        if (check)
        {
            out.printf("%s: OK: POP %d (%s), %d peers, %d services, %d routes%n", configFile, config.pop().id(),
                config.pop().name(), config.peers().size(), config.services().size(), config.routes().size());
            out.flush();
            return 0;
        }
        return run(config, out, err);
    }

    /**
     * Loads, validates and compiles a configuration, printing every error as {@code file:line: path: message}.
     *
     * @param file the file.
     * @param err  where errors go.
     * @return the configuration, or {@code null} if it is invalid.
     */
    static GatewayConfig load(final Path file, final PrintWriter err)
    {
        final ConfigLoader.Result result = ConfigLoader.load(file);
        if (!result.isValid())
        {
            err.print(result.describe());
            return null;
        }
        final GatewayConfig config = result.config();
        try
        {
            ConfigCompiler.engine(config, 0, 0);
            ConfigCompiler.tables(config, 1);
        }
        catch (final IllegalArgumentException ex)
        {
            err.println(file + ": " + ex.getMessage());
            return null;
        }
        return config;
    }

    private int run(final GatewayConfig config, final PrintWriter out, final PrintWriter err)
    {
        final Gateway gateway;
        try
        {
            gateway = Gateway.start(configFile, config, PortOpener.DEVICES, ex ->
            {
                err.println("flyover gateway: agent error: " + ex);
                err.flush();
            });
        }
        catch (final NativeIoException | UnsupportedOperationException ex)
        {
            err.println("flyover gateway: " + ex.getMessage());
            err.flush();
            return EXIT_START_FAILED;
        }
        catch (final UncheckedIOException ex)
        {
            err.println("flyover gateway: counters-dir " + config.countersDir() + ": " + ex.getCause());
            err.flush();
            return EXIT_START_FAILED;
        }
        catch (final RuntimeException ex)
        {
            // a bug rather than an operator error, but still one line and exit 1
            err.println("flyover gateway: cannot start: " + ex);
            err.flush();
            return EXIT_START_FAILED;
        }

        final AdminServer admin;
        try
        {
            admin = AdminServer.start(gateway, config.admin().listen());
        }
        catch (final IOException ex)
        {
            err.println("flyover gateway: admin API cannot listen on " + config.admin().listen() + ": " + ex);
            err.flush();
            gateway.close();
            return EXIT_START_FAILED;
        }

        final CountDownLatch stop = new CountDownLatch(1);
        Signals.handle("TERM", stop::countDown);
        Signals.handle("INT", stop::countDown);
        final boolean hangupReloads = Signals.handle("HUP", () ->
        {
            final Gateway.ReloadResult result = gateway.reload();
            (result.accepted() ? out : err).println("flyover gateway: SIGHUP: " + result.message());
            out.flush();
            err.flush();
        });
        if (!hangupReloads)
        {
            err.println("flyover gateway: SIGHUP is ignored in this process (started under nohup?), so it will not "
                + "reload the configuration; use POST /admin/reload on the admin API");
            err.flush();
        }
        out.printf("flyover gateway: POP %d (%s) running: %s threads, admin API on http://%s%n", config.pop().id(),
            config.pop().name(), config.threads().mode().name().toLowerCase(), hostPort(admin));
        out.printf("flyover gateway: counters in %s%n", gateway.countersPath());
        out.flush();
        try
        {
            stop.await();
        }
        catch (final InterruptedException ex)
        {
            Thread.currentThread().interrupt();
        }
        out.println("flyover gateway: stopping: RX stopped, draining, flushing");
        out.flush();
        admin.close();
        gateway.close();
        out.println("flyover gateway: stopped");
        out.flush();
        return 0;
    }

    private static String hostPort(final AdminServer admin)
    {
        return admin.address().getAddress().getHostAddress() + ":" + admin.address().getPort();
    }

    /**
     * Signal handling through {@code sun.misc.Signal} (module jdk.unsupported): the JDK has no
     * supported API to catch SIGHUP, or to turn SIGTERM into an orderly exit with status 0. It is
     * reached by reflection because javac's "internal proprietary API" warning cannot be
     * suppressed and the build treats warnings as errors.
     */
    static final class Signals
    {
        private Signals()
        {
        }

        /**
         * @param name   the signal's name without {@code SIG}, e.g. {@code HUP}.
         * @param action run on the JVM's signal thread when it arrives.
         * @return whether the handler was installed; false also when the process inherited the
         *         signal ignored (e.g. SIGHUP under {@code nohup}): the JVM then leaves it ignored.
         */
        static boolean handle(final String name, final Runnable action)
        {
            try
            {
                final Class<?> signalClass = Class.forName("sun.misc.Signal");
                final Class<?> handlerClass = Class.forName("sun.misc.SignalHandler");
                final Object signal = signalClass.getConstructor(String.class).newInstance(name);
                final Object handler = java.lang.reflect.Proxy.newProxyInstance(
                    handlerClass.getClassLoader(), new Class<?>[]{handlerClass}, (proxy, method, args) ->
                    {
                        if ("handle".equals(method.getName()))
                        {
                            action.run();
                            return null;
                        }
                        return switch (method.getName())
                        {
                            case "hashCode" -> System.identityHashCode(proxy);
                            case "equals" -> proxy == args[0];
                            default -> "flyover signal handler for SIG" + name;
                        };
                    });
                final Object previous = signalClass.getMethod("handle", signalClass, handlerClass).invoke(null, signal, handler);
                return previous != handlerClass.getField("SIG_IGN").get(null);
            }
            catch (final ReflectiveOperationException | RuntimeException ex)
            {
                // the signal is unavailable here or reserved by the JVM: run without it
                return false;
            }
        }
    }
}
