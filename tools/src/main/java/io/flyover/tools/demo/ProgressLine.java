package io.flyover.tools.demo;

import java.io.PrintWriter;
import java.util.Locale;

/**
 * The demo's live progress: on a terminal one line rewritten in place (carriage return, no
 * escape sequences), elsewhere a plain line every tenth of the run. Main thread.
 */
final class ProgressLine
{
    private static final int WIDTH = 118;

    private final PrintWriter out;
    private final boolean tty;
    private int lastTenth = -1;
    private boolean open;

    ProgressLine(final PrintWriter out, final boolean tty)
    {
        this.out = out;
        this.tty = tty;
    }

    void onProgress(final DemoRun.Status status)
    {
        final int tenth = (int)(status.nowS() * 10 / status.totalS());
        if (!tty && tenth == lastTenth)
        {
            return;
        }
        lastTenth = tenth;
        final StringBuilder sb = new StringBuilder();
        sb.append(String.format(Locale.ROOT, "[%5.1f/%.0f s] ", status.nowS(), status.totalS()));
        if (Double.isNaN(status.flyoverMs()))
        {
            sb.append("learning the backbone...");
        }
        else
        {
            sb.append(String.format(Locale.ROOT, "via Flyover %5.1f ms, direct %5.1f ms, %d flows", status.flyoverMs(),
                status.directMs(), status.flows()));
        }
        if (!status.event().isEmpty())
        {
            sb.append(" | ").append(status.event());
        }
        final StringBuilder relayed = new StringBuilder();
        for (final String route : status.routes())
        {
            if (route.chars().filter(c -> c == '>').count() > 1)
            {
                relayed.append(' ').append(route);
            }
        }
        if (!relayed.isEmpty())
        {
            sb.append(" | relayed:").append(relayed);
        }
        if (tty)
        {
            String line = sb.toString();
            if (line.length() > WIDTH)
            {
                line = line.substring(0, WIDTH);
            }
            out.print("\r" + line + " ".repeat(WIDTH - line.length()));
            open = true;
        }
        else
        {
            out.println(sb);
        }
        out.flush();
    }

    void finish()
    {
        if (open)
        {
            out.println();
            out.flush();
            open = false;
        }
    }
}
