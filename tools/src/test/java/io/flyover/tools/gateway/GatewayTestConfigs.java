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
        return PopYaml.pop(1, "pop-a")
            .tun("edge", "fly-edge")
            .udpBackbone("127.0.0.1", portA)
            .peer(3, "pop-c", "127.0.0.3", portC)
            .keys()
            .dnsService(VIP)
            .threads(threadsMode, workers)
            .admin(9899)
            .folders(dir, "a")
            .build();
    }

    static String popC(final int portC, final int portA, final Path dir, final int backendWeight)
    {
        return PopYaml.pop(3, "pop-c")
            .udpBackbone("127.0.0.3", portC)
            .tun("origin", "fly-origin")
            .peer(1, "pop-a", "127.0.0.1", portA)
            .peer(2, "pop-b", "127.0.0.2")
            .keys()
            .dnsService(VIP)
            .backend(BACKEND, 5353, backendWeight)
            .threads("shared", 1)
            .admin(9898)
            .folders(dir, "c")
            .build();
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
