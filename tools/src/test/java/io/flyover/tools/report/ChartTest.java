package io.flyover.tools.report;

import java.awt.Color;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Path;

import javax.imageio.ImageIO;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ChartTest
{
    private static final Color RED = Chart.PALETTE[1];

    @TempDir
    Path dir;

    private static Chart line(final double... ys)
    {
        final double[] xs = new double[ys.length];
        for (int i = 0; i < xs.length; i++)
        {
            xs[i] = i;
        }
        return Chart.builder("t", "x", "y").series(new Chart.Series("s", xs, ys, RED)).build();
    }

    private static int rowOf(final BufferedImage image, final int x, final Color color)
    {
        for (int y = 0; y < image.getHeight(); y++)
        {
            if (image.getRGB(x, y) == color.getRGB())
            {
                return y;
            }
        }
        return -1;
    }

    @Test
    void shouldDrawTheLineWhereTheDataIs()
    {
        final Chart low = line(10, 10, 10, 10, 100);
        final Chart high = line(10, 10, 80, 10, 100);
        final BufferedImage a = low.render(400, 300);
        final BufferedImage b = high.render(400, 300);
        final int x = low.pixelX(2, 400);
        assertEquals(RED.getRGB(), a.getRGB(x, low.pixelY(10, 300)), "value 10 at x = 2");
        assertEquals(RED.getRGB(), b.getRGB(x, high.pixelY(80, 300)), "value 80 at x = 2");
        assertTrue(Math.abs(rowOf(a, x, RED) - low.pixelY(10, 300)) <= 1, "nothing else red in the column");
        assertTrue(Math.abs(rowOf(b, x, RED) - high.pixelY(80, 300)) <= 1, "nothing else red in the column");
        assertTrue(rowOf(b, x, RED) < rowOf(a, x, RED), "a larger value is drawn higher");
        assertEquals(rowOf(a, low.pixelX(0.5, 400), RED), rowOf(b, high.pixelX(0.5, 400), RED),
            "the columns where the data agree are the same");
    }

    @Test
    void shouldBreakTheLineAtNaN()
    {
        final Chart chart = line(50, 50, Double.NaN, 50, 50);
        final BufferedImage image = chart.render(400, 300);
        assertEquals(-1, rowOf(image, chart.pixelX(2, 400), RED), "no line across the gap");
        assertEquals(RED.getRGB(), image.getRGB(chart.pixelX(0.5, 400), chart.pixelY(50, 300)));
    }

    @Test
    void shouldDrawMarkersAtTheirX()
    {
        final Chart chart = Chart.builder("t", "x", "y")
            .series(new Chart.Series("s", new double[] {0, 100}, new double[] {1, 1}, RED))
            .marker(37, "cut").span(60, 80, "").build();
        final BufferedImage image = chart.render(500, 300);
        int dark = 0;
        for (int y = 0; y < 300; y++)
        {
            dark += image.getRGB(chart.pixelX(37, 500), y) == Chart.MARKER.getRGB() ? 1 : 0;
        }
        assertTrue(dark > 60, "dashed marker column, " + dark + " pixels");
        assertEquals(Chart.SPAN.getRGB(), image.getRGB(chart.pixelX(70, 500), chart.pixelY(0.5, 300)));
        assertNotEquals(Chart.SPAN.getRGB(), image.getRGB(chart.pixelX(50, 500), chart.pixelY(0.5, 300)));
    }

    @Test
    void shouldBuildTheEmpiricalCdf()
    {
        final Chart.Series cdf = Chart.cdf("c", new double[] {3, 1, Double.NaN, 2, 4}, RED);
        assertArrayEquals(new double[] {1, 1, 2, 2, 3, 3, 4, 4, 4}, cdf.xs());
        assertArrayEquals(new double[] {0, 0.25, 0.25, 0.5, 0.5, 0.75, 0.75, 1, 1}, cdf.ys());
    }

    @Test
    void shouldChooseRoundTicks()
    {
        assertArrayEquals(new double[] {0, 20, 40, 60, 80, 100}, Chart.ticks(0, 100));
        assertArrayEquals(new double[] {0, 0.2, 0.4, 0.6, 0.8, 1.0}, Chart.ticks(0, 1), 1e-12);
        assertArrayEquals(new double[] {20, 40, 60, 80, 100, 120}, Chart.ticks(10.5, 120), 1e-12);
    }

    @Test
    void shouldWriteAPngImageIoReadsBack() throws IOException
    {
        final Path file = dir.resolve("sub/c.png");
        line(1, 2, 3).writePng(file, 321, 234);
        final BufferedImage image = ImageIO.read(file.toFile());
        assertEquals(321, image.getWidth());
        assertEquals(234, image.getHeight());
        assertThrows(IllegalArgumentException.class, () -> line(1, 2).render(10, 10));
        assertThrows(IllegalArgumentException.class, () -> new Chart.Series("x", new double[1], new double[2], RED));
    }
}
