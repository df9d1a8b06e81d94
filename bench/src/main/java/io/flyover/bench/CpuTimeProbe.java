package io.flyover.bench;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.util.Arrays;

/**
 * A cross-check for JMH on a shared machine: runs the same benchmark methods in plain loops and
 * divides the thread's CPU time (not wall-clock time) by the operation count, so time the thread
 * spent descheduled while other processes ran is not counted. It still pays for caches and branch
 * predictors disturbed by the neighbours, and it has no JMH safeguards beyond a sink for every
 * result, so it is a rough figure beside JMH's, not a replacement. Prints, per operation, the
 * lowest and the median CPU ns/op over the measured rounds. {@code TunnelBenchmark.writeHeaders}
 * is left out: in a plain loop the JIT keeps only the last iteration's stores, so the figure
 * meant nothing (JMH's blackhole prevents that).
 * <p>
 * Run with the same flags as the JMH forks (see {@code docs/performance.md}).
 */
public final class CpuTimeProbe
{
    private static final ThreadMXBean THREADS = ManagementFactory.getThreadMXBean();
    private static long sink;

    private CpuTimeProbe()
    {
    }

    private abstract static class Op
    {
        final String name;

        Op(final String name)
        {
            this.name = name;
        }

        /**
         * Runs the operation {@code n} times in a loop of its own (a monomorphic call site).
         */
        abstract long run(int n);
    }

    /**
     * @param args optional: operations per round (default 2,000,000), rounds (default 7, the first two warm-up).
     */
    public static void main(final String[] args)
    {
        final int n = args.length > 0 ? Integer.parseInt(args[0]) : 2_000_000;
        final int rounds = args.length > 1 ? Integer.parseInt(args[1]) : 7;

        final ParseBenchmark parse = new ParseBenchmark();
        parse.setup();
        final ChecksumBenchmark checksum64 = checksum(64);
        final ChecksumBenchmark checksum1500 = checksum(1500);
        final TunnelBenchmark tunnel = new TunnelBenchmark();
        tunnel.setup();

        final Op[] ops = {
            new Op("ParseBenchmark.parseIpv4Udp64")
            {
                long run(final int n)
                {
                    long s = 0;
                    for (int i = 0; i < n; i++)
                    {
                        s += parse.parseIpv4Udp64().ordinal();
                    }
                    return s;
                }
            },
            new Op("ParseBenchmark.parseIpv4Udp64NoChecksum")
            {
                long run(final int n)
                {
                    long s = 0;
                    for (int i = 0; i < n; i++)
                    {
                        s += parse.parseIpv4Udp64NoChecksum().ordinal();
                    }
                    return s;
                }
            },
            new Op("ParseBenchmark.parseEthernetIpv4Udp64")
            {
                long run(final int n)
                {
                    long s = 0;
                    for (int i = 0; i < n; i++)
                    {
                        s += parse.parseEthernetIpv4Udp64().ordinal();
                    }
                    return s;
                }
            },
            new Op("ParseBenchmark.parseIpv6TcpOptions")
            {
                long run(final int n)
                {
                    long s = 0;
                    for (int i = 0; i < n; i++)
                    {
                        s += parse.parseIpv6TcpOptions().ordinal();
                    }
                    return s;
                }
            },
            new Op("ChecksumBenchmark.ipv4HeaderFull")
            {
                long run(final int n)
                {
                    long s = 0;
                    for (int i = 0; i < n; i++)
                    {
                        s += checksum64.ipv4HeaderFull();
                    }
                    return s;
                }
            },
            new Op("ChecksumBenchmark.ipv4HeaderIncremental")
            {
                long run(final int n)
                {
                    long s = 0;
                    for (int i = 0; i < n; i++)
                    {
                        s += checksum64.ipv4HeaderIncremental();
                    }
                    return s;
                }
            },
            new Op("ChecksumBenchmark.tcpDnatFull (64 B)")
            {
                long run(final int n)
                {
                    long s = 0;
                    for (int i = 0; i < n; i++)
                    {
                        s += checksum64.tcpDnatFull();
                    }
                    return s;
                }
            },
            new Op("ChecksumBenchmark.tcpDnatFull (1500 B)")
            {
                long run(final int n)
                {
                    long s = 0;
                    for (int i = 0; i < n / 16; i++)
                    {
                        s += checksum1500.tcpDnatFull();
                    }
                    return s;
                }
            },
            new Op("ChecksumBenchmark.tcpDnatIncremental")
            {
                long run(final int n)
                {
                    long s = 0;
                    for (int i = 0; i < n; i++)
                    {
                        s += checksum64.tcpDnatIncremental();
                    }
                    return s;
                }
            },
            new Op("TunnelBenchmark.computeTagIpv4")
            {
                long run(final int n)
                {
                    long s = 0;
                    for (int i = 0; i < n; i++)
                    {
                        s += tunnel.computeTagIpv4();
                    }
                    return s;
                }
            },
            new Op("TunnelBenchmark.verifyTagIpv4")
            {
                long run(final int n)
                {
                    long s = 0;
                    for (int i = 0; i < n; i++)
                    {
                        s += tunnel.verifyTagIpv4().ordinal();
                    }
                    return s;
                }
            },
            new Op("TunnelBenchmark.parseGeneve")
            {
                long run(final int n)
                {
                    long s = 0;
                    for (int i = 0; i < n; i++)
                    {
                        s += tunnel.parseGeneve().ordinal();
                    }
                    return s;
                }
            },
            new Op("TunnelBenchmark.sipHash32")
            {
                long run(final int n)
                {
                    long s = 0;
                    for (int i = 0; i < n; i++)
                    {
                        s += tunnel.sipHash32();
                    }
                    return s;
                }
            },
        };

        System.out.printf("%-45s %12s %12s%n", "operation", "min CPU ns", "median CPU ns");
        for (final Op op : ops)
        {
            final int count = op.name.contains("1500") ? n / 16 : n;
            final double[] nsPerOp = new double[rounds - 2];
            for (int r = 0; r < rounds; r++)
            {
                final long start = THREADS.getCurrentThreadCpuTime();
                sink += op.run(n);
                final long cpuNs = THREADS.getCurrentThreadCpuTime() - start;
                if (r >= 2)
                {
                    nsPerOp[r - 2] = (double)cpuNs / count;
                }
            }
            Arrays.sort(nsPerOp);
            System.out.printf("%-45s %12.2f %12.2f%n", op.name, nsPerOp[0], nsPerOp[nsPerOp.length / 2]);
        }
        System.out.println("(sink " + (sink & 1) + ")");
    }

    private static ChecksumBenchmark checksum(final int packetLength)
    {
        final ChecksumBenchmark benchmark = new ChecksumBenchmark();
        benchmark.packetLength = packetLength;
        benchmark.setup();
        return benchmark;
    }
}
