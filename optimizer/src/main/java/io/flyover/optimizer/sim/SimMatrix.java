package io.flyover.optimizer.sim;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * A latency matrix read from CSV with header {@code src,dst,rtt_ms[,rtt_std_ms]}: one direction
 * implies the other, a missing pair means no direct link, a 0 ms pair is legal. POP ids are
 * 1..n in order of first appearance. Immutable after reading.
 */
public final class SimMatrix
{
    private final List<String> names;
    private final Map<String, Integer> ids = new HashMap<>();
    private final double[][] rttMs;

    SimMatrix(final List<String> names, final double[][] rttMs)
    {
        this.names = List.copyOf(names);
        this.rttMs = rttMs;
        for (int i = 0; i < this.names.size(); i++)
        {
            ids.put(this.names.get(i), i + 1);
        }
    }

    /**
     * @param file CSV file.
     * @return the matrix.
     * @throws IllegalArgumentException with a one-line reason if the file is unreadable or malformed.
     */
    public static SimMatrix read(final Path file)
    {
        final List<String> lines;
        try
        {
            lines = Files.readAllLines(file, StandardCharsets.UTF_8);
        }
        catch (final java.nio.file.NoSuchFileException ex)
        {
            throw new IllegalArgumentException("cannot read matrix " + file + ": no such file");
        }
        catch (final IOException | RuntimeException ex)
        {
            throw new IllegalArgumentException("cannot read matrix " + file + ": " + ex.getMessage());
        }
        return parse(lines, file.toString());
    }

    /**
     * @param lines  CSV lines, header first.
     * @param source name for error messages.
     * @return the matrix.
     */
    public static SimMatrix parse(final List<String> lines, final String source)
    {
        if (lines.isEmpty() || !lines.get(0).trim().replace(" ", "").startsWith("src,dst,rtt_ms"))
        {
            throw new IllegalArgumentException(source + ": header must be src,dst,rtt_ms[,rtt_std_ms]");
        }
        final Map<String, Integer> index = new HashMap<>();
        final List<String> names = new ArrayList<>();
        final List<double[]> entries = new ArrayList<>();
        for (int i = 1; i < lines.size(); i++)
        {
            final String line = lines.get(i).trim();
            if (line.isEmpty() || line.startsWith("#"))
            {
                continue;
            }
            final String[] f = line.split(",");
            if (f.length < 3)
            {
                throw new IllegalArgumentException(source + ":" + (i + 1) + ": expected src,dst,rtt_ms");
            }
            final double rtt;
            try
            {
                rtt = Double.parseDouble(f[2].trim());
            }
            catch (final NumberFormatException ex)
            {
                throw new IllegalArgumentException(source + ":" + (i + 1) + ": bad rtt_ms '" + f[2].trim() + "'");
            }
            if (!(rtt >= 0) || Double.isInfinite(rtt))
            {
                throw new IllegalArgumentException(source + ":" + (i + 1) + ": rtt_ms must be >= 0");
            }
            final String a = f[0].trim();
            final String b = f[1].trim();
            if (a.isEmpty() || b.isEmpty() || a.equals(b))
            {
                throw new IllegalArgumentException(source + ":" + (i + 1) + ": src and dst must be two POPs");
            }
            final int ia = index.computeIfAbsent(a, k -> { names.add(k); return names.size() - 1; });
            final int ib = index.computeIfAbsent(b, k -> { names.add(k); return names.size() - 1; });
            entries.add(new double[]{ia, ib, rtt});
        }
        if (names.size() < 2)
        {
            throw new IllegalArgumentException(source + ": fewer than 2 POPs");
        }
        if (names.size() > 65_535)
        {
            throw new IllegalArgumentException(source + ": more than 65535 POPs");
        }
        final double[][] rtt = new double[names.size()][names.size()];
        for (final double[] row : rtt)
        {
            Arrays.fill(row, Double.NaN);
        }
        for (final double[] e : entries)
        {
            rtt[(int)e[0]][(int)e[1]] = e[2];
            rtt[(int)e[1]][(int)e[0]] = e[2];
        }
        return new SimMatrix(names, rtt);
    }

    /**
     * @return POPs.
     */
    public int size()
    {
        return names.size();
    }

    /**
     * @param pop POP id, 1..size.
     * @return its name.
     */
    public String name(final int pop)
    {
        return names.get(pop - 1);
    }

    /**
     * @param name a POP's name as in the CSV.
     * @return its id, 1..size, or 0 if the matrix has no such POP.
     */
    public int id(final String name)
    {
        final Integer id = ids.get(name);
        return id == null ? 0 : id;
    }

    /**
     * @param a POP id.
     * @param b POP id.
     * @return base RTT of the direct link in ms, NaN if there is none.
     */
    public double rttMs(final int a, final int b)
    {
        return rttMs[a - 1][b - 1];
    }

    /**
     * @param a POP id.
     * @param b POP id.
     * @return true if a direct link exists.
     */
    public boolean hasLink(final int a, final int b)
    {
        return a != b && !Double.isNaN(rttMs[a - 1][b - 1]);
    }
}
