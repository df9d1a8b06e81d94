package io.flyover.tools.replay;

import java.io.PrintWriter;

/**
 * A progress bar on stderr for long replays: nothing for the first second, then one line
 * redrawn at most five times a second, ended by a newline. Reads the wall clock once every
 * 4096 packets. Replay thread only.
 */
public final class ReplayProgress
{
    private static final long QUIET_NS = 1_000_000_000L;
    private static final long REDRAW_NS = 200_000_000L;
    private static final int WIDTH = 30;

    private final PrintWriter err;
    private final long startNs = System.nanoTime();
    private long lastDrawNs;
    private boolean drawn;

    /**
     * @param err where to draw.
     */
    public ReplayProgress(final PrintWriter err)
    {
        this.err = err;
    }

    /**
     * @param done  packets replayed.
     * @param total packets in the capture.
     */
    public void onPacket(final long done, final long total)
    {
        if ((done & 4095) != 0)
        {
            return;
        }
        final long nowNs = System.nanoTime();
        if (nowNs - startNs < QUIET_NS || nowNs - lastDrawNs < REDRAW_NS)
        {
            return;
        }
        lastDrawNs = nowNs;
        draw(done, total, nowNs);
    }

    /**
     * Ends the bar, if one was drawn.
     *
     * @param total packets in the capture.
     */
    public void done(final long total)
    {
        if (drawn)
        {
            draw(total, total, System.nanoTime());
            err.println();
            err.flush();
        }
    }

    private void draw(final long done, final long total, final long nowNs)
    {
        final int filled = total <= 0 ? WIDTH : (int)(WIDTH * Math.min(done, total) / total);
        final double seconds = (nowNs - startNs) / 1e9;
        err.print("\r[" + "#".repeat(filled) + " ".repeat(WIDTH - filled) + "] "
            + String.format("%3d%% %d/%d packets, %.2f Mpps", total <= 0 ? 100 : 100 * done / total, done, total,
            done / seconds / 1e6));
        err.flush();
        drawn = true;
    }
}
