package io.flyover.tools.demo;

import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import javax.imageio.ImageIO;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.flyover.tools.CliRun;
import io.flyover.tools.gateway.JsonReader;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

class DemoCommandTest
{
    @TempDir
    Path dir;

    private static double number(final Map<String, Object> json, final String key)
    {
        final Object value = json.get(key);
        assertTrue(value instanceof Double, key + " = " + value);
        return (Double)value;
    }

    @Test
    @SuppressWarnings("unchecked")
    void shouldRunAShortDemoWithConsistentNumbersAndTheSameResultForTheSameSeed() throws IOException
    {
        final Path first = dir.resolve("first");
        final CliRun run = CliRun.of("demo", "--seconds", "12", "--seed", "7", "--plain", "--out", first.toString());
        assertEquals(0, run.exit(), run.err());
        assertEquals("", run.err().strip(), "nothing on stderr");
        assertTrue(run.out().contains("[  0.0/12 s]"), "progress lines: " + run.out());
        assertTrue(run.out().contains("FRA-MUM congested") && run.out().contains("FRA-NYC cut"), run.out());
        assertTrue(run.out().contains("flows kept"), run.out());

        final String summary = Files.readString(first.resolve(DemoReport.SUMMARY_JSON));
        final Map<String, Object> json = (Map<String, Object>)JsonReader.parse(summary);
        final Map<String, Object> flyover = (Map<String, Object>)json.get("flyover");
        final Map<String, Object> direct = (Map<String, Object>)json.get("direct");
        assertTrue(number(flyover, "mean_ms") > 0);
        assertTrue(number(flyover, "mean_ms") <= number(direct, "mean_ms"),
            "Flyover's mean RTT is no worse than the direct path's: " + summary);
        assertTrue(number(flyover, "p50_ms") <= number(flyover, "p95_ms"));
        final double improvement = number(json, "improvement_pct");
        assertEquals(100 * (number(direct, "mean_ms") - number(flyover, "mean_ms")) / number(direct, "mean_ms"), improvement, 0.01);

        final Map<String, Object> failover = (Map<String, Object>)json.get("failover");
        assertEquals("FRA-NYC", failover.get("link"));
        final double tablesMs = number(failover, "tables_ms");
        assertTrue(tablesMs > 0 && tablesMs < 1000, "path tables left the cut link within a second: " + tablesMs);
        assertTrue(((List<Object>)failover.get("pops")).contains("NYC"), "NYC used its direct circuit: " + failover);
        final double across = number(failover, "flows_across");
        final double affected = number(failover, "flows_affected");
        final double kept = number(failover, "flows_kept");
        assertTrue(across > 0, "flows alive across the cut: " + failover);
        assertTrue(affected > 0 && affected <= across, "some flows lost a ping to the cut: " + failover);
        assertTrue(kept <= across);
        assertEquals(across, kept, "every flow came back after the cut: " + failover);
        final double recover = number(failover, "recover_max_ms");
        assertTrue(recover > 0 && recover < 1000, "affected flows answered again within a second: " + failover);

        final double sent = number(json, "pings_sent");
        final double answered = number(json, "pings_answered");
        assertTrue(answered <= sent && answered > 0.95 * sent, "pings answered " + answered + " of " + sent);
        assertEquals(0.0, number(json, "malformed"));
        assertTrue(number(json, "tcp_completed") > 0 && number(json, "tcp_completed") <= number(json, "tcp_started"));
        assertTrue(number(json, "backbone_packets") > sent, "probes and data crossed the backbone");
        final Map<String, Object> cities = (Map<String, Object>)json.get("cities");
        assertEquals(List.of("LON", "NYC", "SAO", "MUM", "SIN", "TYO", "SYD"), List.copyOf(cities.keySet()));

        final String html = Files.readString(first.resolve(DemoReport.REPORT));
        assertTrue(html.contains("<img src=\"" + DemoReport.RTT_OVER_TIME + "\""), "report embeds the time plot");
        assertTrue(html.contains("<img src=\"" + DemoReport.RTT_CDF + "\""), "report embeds the CDF");
        assertTrue(html.contains("great circle") && html.contains("1.5-3") && html.contains("HotNets 2014"),
            "report states the model and its sources");
        assertTrue(html.contains("<img src=\"" + DemoReport.RTT_BY_CITY + "\""), "report embeds the per-city plot");
        for (final String name : List.of(DemoReport.RTT_OVER_TIME, DemoReport.RTT_CDF, DemoReport.RTT_BY_CITY))
        {
            final BufferedImage image = ImageIO.read(first.resolve(name).toFile());
            assertNotNull(image, name);
            assertEquals(DemoReport.WIDTH, image.getWidth(), name);
            assertEquals(DemoReport.HEIGHT, image.getHeight(), name);
        }

        final Path second = dir.resolve("second");
        final CliRun again = CliRun.of("demo", "--seconds", "12", "--seed", "7", "--plain", "--out", second.toString());
        assertEquals(0, again.exit(), again.err());
        assertEquals(summary, Files.readString(second.resolve(DemoReport.SUMMARY_JSON)), "same seed, same run");
        assertEquals(withoutReportLine(run.out()), withoutReportLine(again.out()), "same progress and summary");
    }

    @Test
    void shouldDifferWithTheSeed()
    {
        final DemoModel one = new DemoModel(1, 20_000_000_000L);
        final DemoModel two = new DemoModel(2, 20_000_000_000L);
        assertNotEquals(one.inflation(2, 7), two.inflation(2, 7));
        for (final DemoModel model : List.of(one, two))
        {
            for (int a = 1; a <= model.pops(); a++)
            {
                for (int b = a + 1; b <= model.pops(); b++)
                {
                    assertTrue(model.inflation(a, b) >= DemoModel.INTERNET_INFLATION_MIN && model.inflation(a, b) <= DemoModel.INTERNET_INFLATION_MAX);
                    final double base = model.baseRttMs(a, b);
                    assertTrue(base >= model.fiberMs(a, b) * DemoModel.BACKBONE_FACTOR_MIN - 1e-9, "no link beats fiber");
                    assertTrue(model.internetRttMs(a, b, 5_000_000_000L) >= model.internetBaseMs(a, b) * (1 - DemoModel.INTERNET_SLOW));
                }
            }
        }
    }

    @Test
    void shouldPlaceTheCitiesAtTheirRealDistances()
    {
        // great-circle distances, km, to within 1%
        assertEquals(637, DemoCity.of(1).distanceKm(DemoCity.of(2)), 7);        // Frankfurt-London
        assertEquals(5570, DemoCity.of(2).distanceKm(DemoCity.of(3)), 56);      // London-New York
        assertEquals(7800, DemoCity.of(7).distanceKm(DemoCity.of(8)), 80);      // Tokyo-Sydney
        assertEquals(DemoCity.of(5).distanceKm(DemoCity.of(6)), DemoCity.of(6).distanceKm(DemoCity.of(5)), 1e-9);
    }

    @Test
    void shouldCutAndCongestOnlyTheScriptedCircuits()
    {
        final DemoModel model = new DemoModel(3, 40_000_000_000L);
        final int fra = DemoModel.id("FRA");
        final int nyc = DemoModel.id("NYC");
        final int mum = DemoModel.id("MUM");
        assertTrue(model.linkUp(fra, nyc, 29_000_000_000L));
        assertTrue(!model.linkUp(fra, nyc, 31_000_000_000L), "cut at 75%");
        assertTrue(model.linkUp(fra, mum, 31_000_000_000L));
        final double before = model.linkRttMs(fra, mum, 7_000_000_000L);
        final double during = model.linkRttMs(fra, mum, 10_000_000_000L);
        assertTrue(during > before * 2, before + " -> " + during);
        assertEquals(0.01, model.linkLoss(fra, mum, 10_000_000_000L), 1e-12);
        assertEquals(0.0, model.linkLoss(fra, mum, 7_000_000_000L), 1e-12);
    }

    @Test
    void shouldExitTwoWithOneLineOnBadArguments()
    {
        for (final String[] args : List.of(new String[] {"demo", "--seconds", "5"}, new String[] {"demo", "--seconds", "x"},
            new String[] {"demo", "--seed", "1.5"}))
        {
            final CliRun run = CliRun.of(args);
            assertEquals(2, run.exit(), String.join(" ", args));
            assertEquals(1, run.err().strip().lines().count(), run.err());
        }
    }

    private static String withoutReportLine(final String out)
    {
        return out.replaceAll("(?m)^report: .*$", "");
    }
}
