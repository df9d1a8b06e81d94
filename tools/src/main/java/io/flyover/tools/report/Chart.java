package io.flyover.tools.report;

import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Font;
import java.awt.FontMetrics;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.geom.Path2D;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;

import javax.imageio.ImageIO;

/**
 * A small line chart drawn with {@code java.awt} into an image, headless: axes with round-number
 * ticks, a legend, series as polylines (a NaN breaks the line), vertical markers (failures) and
 * shaded spans (congestion). A CDF is a line chart of {@link #cdf} series. Immutable once built;
 * rendering allocates freely (control plane, never the packet path). Any thread.
 */
public final class Chart
{
    /** A palette that stays apart on white and in grey print. */
    public static final Color[] PALETTE = {
        new Color(0x1F, 0x77, 0xB4), new Color(0xD6, 0x27, 0x28), new Color(0x2C, 0xA0, 0x2C),
        new Color(0xFF, 0x7F, 0x0E), new Color(0x94, 0x67, 0xBD), new Color(0x8C, 0x56, 0x4B),
        new Color(0x17, 0xBE, 0xCF), new Color(0x7F, 0x7F, 0x7F),
    };
    /** Colour of failure markers. */
    public static final Color MARKER = new Color(0x20, 0x20, 0x20);
    /** Colour of shaded spans. */
    public static final Color SPAN = new Color(0xFF, 0xE0, 0x99);

    static final int LEFT = 72;
    static final int RIGHT = 24;
    static final int TOP = 40;
    static final int BOTTOM = 56;

    static
    {
        System.setProperty("java.awt.headless", "true");
    }

    /**
     * One line.
     *
     * @param name  legend text.
     * @param xs    x values.
     * @param ys    y values, NaN for a gap.
     * @param color its colour.
     */
    public record Series(String name, double[] xs, double[] ys, Color color)
    {
        /**
         * Checks the arrays agree.
         */
        public Series
        {
            if (xs.length != ys.length)
            {
                throw new IllegalArgumentException("series '" + name + "': " + xs.length + " x values, " + ys.length + " y values");
            }
        }
    }

    /**
     * A vertical line across the plot at {@code x}, labelled at the top.
     *
     * @param x     where.
     * @param label text, may be empty.
     */
    public record Marker(double x, String label)
    {
    }

    /**
     * A shaded band from {@code from} to {@code to} on the x axis, labelled at the top.
     *
     * @param from  start.
     * @param to    end.
     * @param label text, may be empty.
     */
    public record Span(double from, double to, String label)
    {
    }

    private final String title;
    private final String xLabel;
    private final String yLabel;
    private final List<Series> series;
    private final List<Marker> markers;
    private final List<Span> spans;
    private final double xMin;
    private final double xMax;
    private final double yMin;
    private final double yMax;
    private final boolean legendBottom;

    private Chart(
        final String title, final String xLabel, final String yLabel, final List<Series> series,
        final List<Marker> markers, final List<Span> spans, final double xCap, final double yCap, final boolean legendBottom)
    {
        this.legendBottom = legendBottom;
        this.title = title;
        this.xLabel = xLabel;
        this.yLabel = yLabel;
        this.series = List.copyOf(series);
        this.markers = List.copyOf(markers);
        this.spans = List.copyOf(spans);
        double x0 = Double.POSITIVE_INFINITY;
        double x1 = Double.NEGATIVE_INFINITY;
        double y1 = Double.NEGATIVE_INFINITY;
        double y0 = 0;
        for (final Series s : series)
        {
            for (int i = 0; i < s.xs().length; i++)
            {
                if (Double.isFinite(s.xs()[i]) && Double.isFinite(s.ys()[i]))
                {
                    x0 = Math.min(x0, s.xs()[i]);
                    x1 = Math.max(x1, s.xs()[i]);
                    y0 = Math.min(y0, s.ys()[i]);
                    y1 = Math.max(y1, s.ys()[i]);
                }
            }
        }
        if (!(x1 > x0))
        {
            x0 = Double.isFinite(x0) ? x0 : 0;
            x1 = x0 + 1;
        }
        if (!(y1 > y0))
        {
            y1 = y0 + 1;
        }
        y1 = Math.min(y1, yCap);
        x1 = Math.max(Math.min(x1, xCap), x0 + 1e-9);
        this.xMin = x0;
        this.xMax = x1;
        this.yMin = y0;
        this.yMax = niceCeiling(y1 <= y0 ? y0 + 1 : y1);
    }

    /**
     * @param title  the chart's title.
     * @param xLabel x axis label.
     * @param yLabel y axis label.
     * @return a builder.
     */
    public static Builder builder(final String title, final String xLabel, final String yLabel)
    {
        return new Builder(title, xLabel, yLabel);
    }

    /**
     * The empirical CDF of samples as a step line: for each sorted value v, the fraction of
     * samples ≤ v. NaN samples are left out.
     *
     * @param name    legend text.
     * @param samples the samples.
     * @param color   its colour.
     * @return the series (at most about 2,000 steps: evenly chosen ranks when there are more).
     */
    public static Series cdf(final String name, final double[] samples, final Color color)
    {
        final double[] sorted = Arrays.stream(samples).filter(Double::isFinite).sorted().toArray();
        final int n = sorted.length;
        final int stride = Math.max(1, n / 2000);
        final List<double[]> points = new ArrayList<>();
        for (int i = 0; i < n; i += stride)
        {
            points.add(new double[] {sorted[i], (double)i / n});
            points.add(new double[] {sorted[i], (double)(i + 1) / n});
        }
        if (n > 0)
        {
            points.add(new double[] {sorted[n - 1], 1.0});
        }
        final double[] xs = new double[points.size()];
        final double[] ys = new double[points.size()];
        for (int i = 0; i < xs.length; i++)
        {
            xs[i] = points.get(i)[0];
            ys[i] = points.get(i)[1];
        }
        return new Series(name, xs, ys, color);
    }

    /**
     * @param x     a value on the x axis.
     * @param width the image's width.
     * @return its pixel column.
     */
    public int pixelX(final double x, final int width)
    {
        final int plotWidth = width - LEFT - RIGHT;
        return LEFT + (int)Math.round((x - xMin) / (xMax - xMin) * plotWidth);
    }

    /**
     * @param y      a value on the y axis (clamped to the axis).
     * @param height the image's height.
     * @return its pixel row.
     */
    public int pixelY(final double y, final int height)
    {
        final int plotHeight = height - TOP - BOTTOM;
        final double clamped = Math.max(yMin, Math.min(yMax, y));
        return TOP + plotHeight - (int)Math.round((clamped - yMin) / (yMax - yMin) * plotHeight);
    }

    /**
     * @return the top of the y axis.
     */
    public double yMax()
    {
        return yMax;
    }

    /**
     * Draws the chart.
     *
     * @param width  image width in pixels (at least 200).
     * @param height image height in pixels (at least 150).
     * @return the image.
     */
    public BufferedImage render(final int width, final int height)
    {
        if (width < 200 || height < 150)
        {
            throw new IllegalArgumentException("a chart needs at least 200 x 150 pixels, not " + width + " x " + height);
        }
        final BufferedImage image = new BufferedImage(width, height, BufferedImage.TYPE_INT_RGB);
        final Graphics2D g = image.createGraphics();
        try
        {
            g.setRenderingHint(RenderingHints.KEY_TEXT_ANTIALIASING, RenderingHints.VALUE_TEXT_ANTIALIAS_ON);
            g.setColor(Color.WHITE);
            g.fillRect(0, 0, width, height);
            final int left = LEFT;
            final int top = TOP;
            final int right = width - RIGHT;
            final int bottom = height - BOTTOM;
            final Font font = new Font(Font.SANS_SERIF, Font.PLAIN, 12);
            g.setFont(font);
            final FontMetrics fm = g.getFontMetrics();

            for (final Span span : spans)
            {
                final int x0 = clampX(pixelX(span.from(), width), left, right);
                final int x1 = clampX(pixelX(span.to(), width), left, right);
                g.setColor(SPAN);
                g.fillRect(x0, top, Math.max(1, x1 - x0), bottom - top);
                g.setColor(new Color(0x99, 0x66, 0x00));
                g.drawString(span.label(), x0 + 3, top + fm.getAscent() + 2);
            }

            drawAxes(g, fm, width, height, left, top, right, bottom);

            g.setRenderingHint(RenderingHints.KEY_ANTIALIASING, RenderingHints.VALUE_ANTIALIAS_OFF);
            g.setClip(left, top, right - left + 1, bottom - top + 1);
            for (int s = series.size() - 1; s >= 0; s--)
            {
                drawSeries(g, series.get(s), width, height);
            }
            g.setClip(null);

            g.setStroke(new BasicStroke(1.5f, BasicStroke.CAP_BUTT, BasicStroke.JOIN_MITER, 10f, new float[] {6f, 4f}, 0f));
            int labelRow = 0;
            for (final Marker marker : markers)
            {
                final int x = pixelX(marker.x(), width);
                if (x < left || x > right)
                {
                    continue;
                }
                g.setColor(MARKER);
                g.drawLine(x, top, x, bottom);
                final int textY = top + fm.getAscent() + 2 + (1 + labelRow % 3) * (fm.getHeight());
                labelRow++;
                g.drawString(marker.label(), Math.min(x + 3, right - fm.stringWidth(marker.label())), textY);
            }
            g.setStroke(new BasicStroke(1f));

            drawLegend(g, fm, right, bottom);

            g.setColor(Color.BLACK);
            g.setFont(font.deriveFont(Font.BOLD, 14f));
            g.drawString(title, left, top - 14);
        }
        finally
        {
            g.dispose();
        }
        return image;
    }

    /**
     * Draws the chart and writes it as a PNG.
     *
     * @param file   where.
     * @param width  image width.
     * @param height image height.
     * @throws IOException if the file cannot be written.
     */
    public void writePng(final Path file, final int width, final int height) throws IOException
    {
        final BufferedImage image = render(width, height);
        final Path parent = file.toAbsolutePath().getParent();
        if (parent != null)
        {
            Files.createDirectories(parent);
        }
        if (!ImageIO.write(image, "png", file.toFile()))
        {
            throw new IOException("no PNG writer in this JDK");
        }
    }

    private void drawAxes(
        final Graphics2D g, final FontMetrics fm, final int width, final int height,
        final int left, final int top, final int right, final int bottom)
    {
        final Color grid = new Color(0xE6, 0xE6, 0xE6);
        for (final double tick : ticks(yMin, yMax))
        {
            final int y = pixelY(tick, height);
            g.setColor(grid);
            g.drawLine(left + 1, y, right, y);
            g.setColor(Color.BLACK);
            g.drawLine(left - 4, y, left, y);
            final String text = format(tick);
            g.drawString(text, left - 7 - fm.stringWidth(text), y + fm.getAscent() / 2 - 1);
        }
        for (final double tick : ticks(xMin, xMax))
        {
            final int x = pixelX(tick, width);
            if (x < left || x > right)
            {
                continue;
            }
            g.setColor(Color.BLACK);
            g.drawLine(x, bottom, x, bottom + 4);
            final String text = format(tick);
            g.drawString(text, x - fm.stringWidth(text) / 2, bottom + 6 + fm.getAscent());
        }
        g.setColor(Color.BLACK);
        g.drawLine(left, top, left, bottom);
        g.drawLine(left, bottom, right, bottom);
        g.drawString(xLabel, left + (right - left - fm.stringWidth(xLabel)) / 2, height - 12);
        final Graphics2D rotated = (Graphics2D)g.create();
        try
        {
            rotated.rotate(-Math.PI / 2);
            rotated.drawString(yLabel, -(top + (bottom - top + fm.stringWidth(yLabel)) / 2), 16);
        }
        finally
        {
            rotated.dispose();
        }
    }

    private void drawSeries(final Graphics2D g, final Series s, final int width, final int height)
    {
        g.setColor(s.color());
        g.setStroke(new BasicStroke(2f, BasicStroke.CAP_ROUND, BasicStroke.JOIN_ROUND));
        final Path2D.Double path = new Path2D.Double();
        boolean drawing = false;
        int points = 0;
        for (int i = 0; i < s.xs().length; i++)
        {
            final double x = s.xs()[i];
            final double y = s.ys()[i];
            if (!Double.isFinite(x) || !Double.isFinite(y))
            {
                drawing = false;
                continue;
            }
            final int px = pixelX(x, width);
            final int py = pixelY(y, height);
            if (drawing)
            {
                path.lineTo(px, py);
            }
            else
            {
                path.moveTo(px, py);
                path.lineTo(px, py);
                drawing = true;
            }
            points++;
        }
        if (points > 0)
        {
            g.draw(path);
        }
    }

    private void drawLegend(final Graphics2D g, final FontMetrics fm, final int right, final int bottom)
    {
        if (series.isEmpty())
        {
            return;
        }
        int textWidth = 0;
        for (final Series s : series)
        {
            textWidth = Math.max(textWidth, fm.stringWidth(s.name()));
        }
        final int row = fm.getHeight() + 2;
        final int boxWidth = textWidth + 38;
        final int boxHeight = row * series.size() + 8;
        final int x = right - boxWidth - 8;
        final int y = legendBottom ? bottom - boxHeight - 8 : TOP + 8;
        g.setColor(new Color(255, 255, 255, 230));
        g.fillRect(x, y, boxWidth, boxHeight);
        g.setColor(Color.GRAY);
        g.drawRect(x, y, boxWidth, boxHeight);
        for (int i = 0; i < series.size(); i++)
        {
            final int lineY = y + 4 + row * i + row / 2;
            g.setColor(series.get(i).color());
            g.setStroke(new BasicStroke(3f));
            g.drawLine(x + 6, lineY, x + 26, lineY);
            g.setStroke(new BasicStroke(1f));
            g.setColor(Color.BLACK);
            g.drawString(series.get(i).name(), x + 32, lineY + fm.getAscent() / 2 - 1);
        }
    }

    private static int clampX(final int x, final int left, final int right)
    {
        return Math.max(left, Math.min(right, x));
    }

    /**
     * @param lo axis start.
     * @param hi axis end.
     * @return round-number ticks (1, 2 or 5 × 10^k apart) from lo to hi, five to ten of them.
     */
    static double[] ticks(final double lo, final double hi)
    {
        final double step = niceStep((hi - lo) / 6);
        final double first = Math.ceil(lo / step - 1e-9) * step;
        final List<Double> ticks = new ArrayList<>();
        for (double t = first; t <= hi + step * 1e-9; t += step)
        {
            ticks.add(Math.abs(t) < step * 1e-9 ? 0.0 : t);
        }
        return ticks.stream().mapToDouble(Double::doubleValue).toArray();
    }

    private static double niceStep(final double raw)
    {
        if (!(raw > 0) || !Double.isFinite(raw))
        {
            return 1;
        }
        final double magnitude = Math.pow(10, Math.floor(Math.log10(raw)));
        final double fraction = raw / magnitude;
        final double nice = fraction <= 1 ? 1 : fraction <= 2 ? 2 : fraction <= 5 ? 5 : 10;
        return nice * magnitude;
    }

    private static double niceCeiling(final double value)
    {
        if (!(value > 0) || !Double.isFinite(value))
        {
            return 1;
        }
        final double step = niceStep(value / 8);
        return Math.ceil(value / step - 1e-9) * step;
    }

    private static String format(final double value)
    {
        if (value == Math.rint(value) && Math.abs(value) < 1e12)
        {
            return Long.toString((long)value);
        }
        return String.format(Locale.ROOT, "%.3g", value).replaceAll("\\.?0+$", "");
    }

    /**
     * Builds a {@link Chart}.
     */
    public static final class Builder
    {
        private final String title;
        private final String xLabel;
        private final String yLabel;
        private final List<Series> series = new ArrayList<>();
        private final List<Marker> markers = new ArrayList<>();
        private final List<Span> spans = new ArrayList<>();
        private double xCap = Double.POSITIVE_INFINITY;
        private double yCap = Double.POSITIVE_INFINITY;
        private boolean legendBottom;

        private Builder(final String title, final String xLabel, final String yLabel)
        {
            this.title = title;
            this.xLabel = xLabel;
            this.yLabel = yLabel;
        }

        /**
         * @param s a line.
         * @return this.
         */
        public Builder series(final Series s)
        {
            series.add(s);
            return this;
        }

        /**
         * @param x     where.
         * @param label its text.
         * @return this.
         */
        public Builder marker(final double x, final String label)
        {
            markers.add(new Marker(x, label));
            return this;
        }

        /**
         * @param from  start.
         * @param to    end.
         * @param label its text.
         * @return this.
         */
        public Builder span(final double from, final double to, final String label)
        {
            spans.add(new Span(from, to, label));
            return this;
        }

        /**
         * Caps the y axis (values above are drawn at the top edge), so one outage spike does not
         * flatten every other line.
         *
         * @param cap the largest y shown.
         * @return this.
         */
        public Builder yCap(final double cap)
        {
            this.yCap = cap;
            return this;
        }

        /**
         * Caps the x axis (a CDF's long tail is cut at the plot's right edge).
         *
         * @param cap the largest x shown.
         * @return this.
         */
        public Builder xCap(final double cap)
        {
            this.xCap = cap;
            return this;
        }

        /**
         * Puts the legend in the bottom right corner (where a CDF leaves room) instead of the top right.
         *
         * @return this.
         */
        public Builder legendBottomRight()
        {
            this.legendBottom = true;
            return this;
        }

        /**
         * @return the chart.
         */
        public Chart build()
        {
            return new Chart(title, xLabel, yLabel, series, markers, spans, xCap, yCap, legendBottom);
        }
    }
}
