package io.flyover.optimizer.journal;

import io.flyover.optimizer.path.Route;

import java.time.Instant;
import java.util.Locale;

/**
 * One decoded journal entry. Which fields mean what depends on the type:
 * <table>
 *   <caption>fields by type</caption>
 *   <tr><th>type</th><th>route</th><th>a</th><th>b</th></tr>
 *   <tr><td>{@link #PROBE_ANSWERED}</td><td>probed route</td><td>sequence</td><td>RTT, ns</td></tr>
 *   <tr><td>{@link #PROBE_LOST}</td><td>probed route</td><td>sequence</td><td>0</td></tr>
 *   <tr><td>{@link #LINK_STATE}</td><td>{@code [from, to]}</td><td>RTT, µs</td><td>loss, ppm</td></tr>
 *   <tr><td>{@link #PATH_STATE}</td><td>route</td><td>1 up, 0 down</td><td>0</td></tr>
 *   <tr><td>{@link #WEIGHTS}</td><td>preferred route (0: none)</td><td>destination POP</td>
 *   <td>1 if any route is live</td></tr>
 * </table>
 * A {@link #WEIGHTS} record also holds its routes and their weights. Immutable.
 *
 * @param type    the record type.
 * @param wallMs  wall-clock time written, ms since the epoch (compares across restarts).
 * @param nowNs   the optimizer's clock when written (monotonic, one process only).
 * @param route   packed route, see the table.
 * @param a       first value, see the table.
 * @param b       second value, see the table.
 * @param routes  {@link #WEIGHTS}: the destination's routes; otherwise empty.
 * @param weights {@link #WEIGHTS}: their weights; otherwise empty.
 */
public record JournalRecord(int type, long wallMs, long nowNs, long route, long a, long b, long[] routes, double[] weights)
{
    /** A probe was answered. */
    public static final int PROBE_ANSWERED = 1;
    /** A probe was declared lost. */
    public static final int PROBE_LOST = 2;
    /** A link's measured state (this POP's or a peer's). */
    public static final int LINK_STATE = 3;
    /** A path went up or down. */
    public static final int PATH_STATE = 4;
    /** A destination's weights changed. */
    public static final int WEIGHTS = 5;

    /**
     * @param type a record type.
     * @return its name as printed.
     */
    public static String typeName(final int type)
    {
        return switch (type)
        {
            case PROBE_ANSWERED -> "probe";
            case PROBE_LOST -> "lost";
            case LINK_STATE -> "link";
            case PATH_STATE -> "path";
            case WEIGHTS -> "weights";
            default -> "type-" + type;
        };
    }

    /**
     * @return one readable line, e.g. {@code 2026-11-27T00:10:00.123Z probe 1>3 seq=41 rtt=20.114ms}.
     */
    public String format()
    {
        final StringBuilder sb = new StringBuilder(96);
        sb.append(Instant.ofEpochMilli(wallMs)).append(' ').append(typeName(type)).append(' ');
        switch (type)
        {
            case PROBE_ANSWERED -> sb.append(Route.toString(route)).append(" seq=").append(a)
                .append(" rtt=").append(ms(b)).append("ms");
            case PROBE_LOST -> sb.append(Route.toString(route)).append(" seq=").append(a);
            case LINK_STATE -> sb.append(Route.toString(route)).append(" rtt=").append(ms(a * 1000))
                .append("ms loss=").append(String.format(Locale.ROOT, "%.4f", b / 1e6));
            case PATH_STATE -> sb.append(Route.toString(route)).append(a == 1 ? " up" : " down");
            case WEIGHTS ->
            {
                sb.append("dst=").append(a).append(" preferred=")
                    .append(route == Route.NONE ? "none" : Route.toString(route)).append(b == 1 ? "" : " (none live)");
                for (int i = 0; i < routes.length; i++)
                {
                    sb.append(' ').append(Route.toString(routes[i])).append('=')
                        .append(String.format(Locale.ROOT, "%.3f", weights[i]));
                }
            }
            default -> sb.append("route=").append(route).append(" a=").append(a).append(" b=").append(b);
        }
        return sb.toString();
    }

    private static String ms(final long ns)
    {
        return String.format(Locale.ROOT, "%.3f", ns / 1e6);
    }
}
