package io.flyover.tools.lab;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;

import java.io.BufferedWriter;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/**
 * The lab's backend: a real HTTP server (the JDK's {@code com.sun.net.httpserver}) that writes an
 * access log line per request with the peer's address as its socket saw it, so the lab can check
 * that the client's own address arrived through the gateways. {@code GET /} answers a short page;
 * {@code GET /blob?bytes=N&seed=S&rate=R} streams {@code N} bytes of {@link Payload} at most
 * {@code R} bytes per second (0 or absent: as fast as it can). Runs on the server's executor
 * threads; the log is written under a lock.
 */
public final class BackendServer implements AutoCloseable
{
    /** The page {@code GET /} answers. */
    public static final String PAGE = "flyover lab backend: hello\n";
    /** Largest download it serves. */
    public static final long MAX_BYTES = 1L << 32;

    private final HttpServer server;
    private final ExecutorService executor;
    private final BufferedWriter accessLog;

    private BackendServer(final HttpServer server, final ExecutorService executor, final BufferedWriter accessLog)
    {
        this.server = server;
        this.executor = executor;
        this.accessLog = accessLog;
    }

    /**
     * Start serving.
     *
     * @param address   where to listen.
     * @param port      the port.
     * @param accessLog the access log file (appended).
     * @return the running server.
     * @throws IOException when the address cannot be bound or the log opened.
     */
    public static BackendServer start(final InetAddress address, final int port, final Path accessLog) throws IOException
    {
        final BufferedWriter log = Files.newBufferedWriter(accessLog, StandardCharsets.UTF_8,
            StandardOpenOption.CREATE, StandardOpenOption.APPEND);
        final HttpServer server = HttpServer.create(new InetSocketAddress(address, port), 64);
        final ExecutorService executor = Executors.newFixedThreadPool(8);
        final BackendServer backend = new BackendServer(server, executor, log);
        server.createContext("/", backend::onRequest);
        server.setExecutor(executor);
        server.start();
        return backend;
    }

    /**
     * @return the port it listens on.
     */
    public int port()
    {
        return server.getAddress().getPort();
    }

    private void onRequest(final HttpExchange exchange) throws IOException
    {
        int status = 200;
        long sent = 0;
        try (exchange)
        {
            final String path = exchange.getRequestURI().getPath();
            if ("/".equals(path))
            {
                final byte[] page = PAGE.getBytes(StandardCharsets.UTF_8);
                exchange.getResponseHeaders().set("Content-Type", "text/plain");
                exchange.sendResponseHeaders(200, page.length);
                exchange.getResponseBody().write(page);
                sent = page.length;
            }
            else if ("/blob".equals(path))
            {
                final Map<String, String> query = query(exchange.getRequestURI().getRawQuery());
                final long bytes = parse(query.get("bytes"), 1_000_000);
                final long seed = parse(query.get("seed"), 1);
                final long rate = parse(query.get("rate"), 0);
                if (bytes < 0 || bytes > MAX_BYTES || rate < 0)
                {
                    status = 400;
                    final byte[] error = "bad bytes or rate\n".getBytes(StandardCharsets.UTF_8);
                    exchange.sendResponseHeaders(400, error.length);
                    exchange.getResponseBody().write(error);
                }
                else
                {
                    exchange.getResponseHeaders().set("Content-Type", "application/octet-stream");
                    exchange.sendResponseHeaders(200, 0 == bytes ? -1 : bytes);
                    sent = stream(exchange.getResponseBody(), seed, bytes, rate);
                }
            }
            else
            {
                status = 404;
                exchange.sendResponseHeaders(404, -1);
            }
        }
        catch (final IOException ex)
        {
            status = 499;
            throw ex;
        }
        finally
        {
            log(exchange, status, sent);
        }
    }

    private static long stream(final OutputStream out, final long seed, final long bytes, final long rate)
        throws IOException
    {
        final byte[] chunk = new byte[16 * 1024];
        final long startNs = System.nanoTime();
        long sent = 0;
        while (sent < bytes)
        {
            final int n = (int)Math.min(chunk.length, bytes - sent);
            Payload.fill(seed, sent, chunk, n);
            out.write(chunk, 0, n);
            sent += n;
            if (rate > 0)
            {
                final long dueNs = startNs + (long)(sent * 1e9 / rate);
                final long waitNs = dueNs - System.nanoTime();
                if (waitNs > 0)
                {
                    try
                    {
                        Thread.sleep(waitNs / 1_000_000, (int)(waitNs % 1_000_000));
                    }
                    catch (final InterruptedException ex)
                    {
                        Thread.currentThread().interrupt();
                        throw new IOException("interrupted", ex);
                    }
                }
            }
        }
        return sent;
    }

    private void log(final HttpExchange exchange, final int status, final long sent)
    {
        final InetSocketAddress peer = exchange.getRemoteAddress();
        final String line = Instant.now() + " " + peer.getAddress().getHostAddress() + ":" + peer.getPort() + " "
            + exchange.getRequestMethod() + " " + exchange.getRequestURI() + " " + status + " " + sent + "\n";
        synchronized (accessLog)
        {
            try
            {
                accessLog.write(line);
                accessLog.flush();
            }
            catch (final IOException ex)
            {
                System.err.println("backend: access log write failed: " + ex.getMessage());
            }
        }
    }

    private static Map<String, String> query(final String raw)
    {
        final Map<String, String> map = new HashMap<>();
        if (null == raw)
        {
            return map;
        }
        for (final String pair : raw.split("&"))
        {
            final int eq = pair.indexOf('=');
            if (eq > 0)
            {
                map.put(pair.substring(0, eq), pair.substring(eq + 1));
            }
        }
        return map;
    }

    private static long parse(final String value, final long fallback)
    {
        if (null == value)
        {
            return fallback;
        }
        try
        {
            return Long.parseLong(value);
        }
        catch (final NumberFormatException ex)
        {
            return -1;
        }
    }

    @Override
    public void close()
    {
        server.stop(0);
        executor.shutdownNow();
        synchronized (accessLog)
        {
            try
            {
                accessLog.close();
            }
            catch (final IOException ex)
            {
                System.err.println("backend: access log close failed: " + ex.getMessage());
            }
        }
    }
}
