package io.flyover.tools.gateway;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Loopback-only configurations for in-process gateway tests: POP A (1, ingress) on 127.0.0.1 and
 * POP C (3, egress) on 127.0.0.3, with UDP backbone pools on free port pairs.
 */
final class GatewayTestConfigs
{
    static final String VIP = "127.0.100.10";
    static final String BACKEND = "127.0.30.2";

    private GatewayTestConfigs()
    {
    }

    /**
     * @param address a loopback address.
     * @return the first of two consecutive free UDP ports on it.
     */
    static int freePortPair(final String address)
    {
        for (int attempt = 0; attempt < 50; attempt++)
        {
            final int port = 20_000 + ThreadLocalRandom.current().nextInt(30_000);
            try (DatagramSocket a = new DatagramSocket(new InetSocketAddress(InetAddress.getByName(address), port));
                DatagramSocket b = new DatagramSocket(new InetSocketAddress(InetAddress.getByName(address), port + 1)))
            {
                return Math.min(a.getLocalPort(), b.getLocalPort());
            }
            catch (final IOException ex)
            {
                // taken, try another
            }
        }
        throw new IllegalStateException("no free UDP port pair on " + address);
    }

    static String popA(final int portA, final int portC, final Path dir, final String threadsMode, final int workers)
    {
        return """
            pop:
              id: 1
              name: pop-a
            ports:
              edge:
                type: tun
                device: fly-edge
              backbone:
                type: udp
                bind: 127.0.0.1
                listen-port: %1$d
                ports: %1$d-%3$d
            peers:
              - id: 3
                name: pop-c
                address: 127.0.0.3
                port: %2$d
            keys:
              send: 1
              active:
                - id: 1
                  secret: 000102030405060708090a0b0c0d0e0f
            services:
              - id: 100
                name: dns
                vip: %4$s
                protocol: udp
                ports: 53
                egress: 3
            threads:
              mode: %5$s
              workers: %6$d
              idle: backoff
            flow-table:
              capacity: 1K
            admin:
              listen: 127.0.0.1:9899
            counters-dir: %7$s
            journal-dir: %8$s
            """.formatted(portA, portC, portA + 1, VIP, threadsMode, workers, dir.resolve("a-counters"),
            dir.resolve("a-journal"));
    }

    static String popC(final int portC, final int portA, final Path dir, final int backendWeight)
    {
        return """
            pop:
              id: 3
              name: pop-c
            ports:
              backbone:
                type: udp
                bind: 127.0.0.3
                listen-port: %1$d
                ports: %1$d-%3$d
              origin:
                type: tun
                device: fly-origin
            peers:
              - id: 1
                name: pop-a
                address: 127.0.0.1
                port: %2$d
              - id: 2
                name: pop-b
                address: 127.0.0.2
            keys:
              send: 1
              active:
                - id: 1
                  secret: 000102030405060708090a0b0c0d0e0f
            services:
              - id: 100
                name: dns
                vip: %4$s
                protocol: udp
                ports: 53
                egress: 3
                backends:
                  - address: %5$s
                    port: 5353
                    weight: %6$d
            threads:
              mode: shared
              workers: 1
              idle: backoff
            flow-table:
              capacity: 1K
            admin:
              listen: 127.0.0.1:9898
            counters-dir: %7$s
            journal-dir: %8$s
            """.formatted(portC, portA, portC + 1, VIP, BACKEND, backendWeight, dir.resolve("c-counters"),
            dir.resolve("c-journal"));
    }

    static Path write(final Path file, final String yaml)
    {
        try
        {
            Files.writeString(file, yaml);
            return file;
        }
        catch (final IOException ex)
        {
            throw new UncheckedIOException(ex);
        }
    }
}
