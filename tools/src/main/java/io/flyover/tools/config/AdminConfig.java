package io.flyover.tools.config;

import java.net.InetSocketAddress;

/**
 * The admin HTTP API ({@code /metrics}, {@code /status}, {@code /flows}, {@code /admin/reload}).
 *
 * @param listen the address and port to listen on, default {@code 127.0.0.1:9810}.
 */
public record AdminConfig(InetSocketAddress listen)
{
    /**
     * The default admin port.
     */
    public static final int DEFAULT_PORT = 9810;
}
