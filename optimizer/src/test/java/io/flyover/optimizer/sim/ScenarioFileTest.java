package io.flyover.optimizer.sim;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ScenarioFileTest
{
    private static final long S = 1_000_000_000L;
    /** 100 s run, 10 s warm-up: the window is 90 s, so 10% of it is 9 s. */
    private static final long DURATION_NS = 100 * S;
    private static final long WARMUP_NS = 10 * S;

    @TempDir
    Path dir;

    /** a-b-c in a line plus a-c; d hangs off c only. */
    private static SimMatrix matrix()
    {
        return SimMatrix.parse(List.of("src,dst,rtt_ms", "a,b,10", "b,c,20", "a,c,40", "c,d,5"), "m.csv");
    }

    private static ScenarioFile parse(final String... lines)
    {
        return ScenarioFile.parse(List.of(lines), "s.scenario", "s");
    }

    private static String parseError(final String... lines)
    {
        final IllegalArgumentException ex = assertThrows(IllegalArgumentException.class, () -> parse(lines));
        assertEquals(1, ex.getMessage().lines().count(), ex.getMessage());
        return ex.getMessage();
    }

    private static String planError(final String... lines)
    {
        final ScenarioFile file = parse(lines);
        final IllegalArgumentException ex = assertThrows(IllegalArgumentException.class,
            () -> file.plans(matrix(), DURATION_NS, WARMUP_NS));
        assertEquals(1, ex.getMessage().lines().count(), ex.getMessage());
        return ex.getMessage();
    }

    private static List<Simulation.Plan> plans(final String... lines)
    {
        return parse(lines).plans(matrix(), DURATION_NS, WARMUP_NS);
    }

    @Test
    void shouldParseEveryKindWithItsValues()
    {
        final ScenarioFile file = parse(
            "name two outages and a jam",
            "down link=a,b start=20s end=30s",
            "flap link=b,c start=10% end=end every=2s for=500ms",
            "congestion link=c,a start=30 end=50% delay=+80%+20ms loss=0.5%",
            "loss link=auto start=1500ms end=90% loss=0.02");
        assertEquals("two outages and a jam", file.name());
        assertEquals(4, file.episodes().size());

        final ScenarioFile.Episode down = file.episodes().get(0);
        assertEquals(ScenarioFile.Kind.DOWN, down.kind());
        assertEquals(2, down.line());
        assertEquals("a", down.a());
        assertEquals("b", down.b());
        assertFalse(down.auto());

        final ScenarioFile.Episode flap = file.episodes().get(1);
        assertEquals(ScenarioFile.Kind.FLAP, flap.kind());
        assertEquals(2 * S, flap.everyNs());
        assertEquals(500_000_000L, flap.forNs());
        assertEquals(ScenarioFile.TimeUnit.PERCENT, flap.start().unit());
        assertEquals(ScenarioFile.TimeUnit.END, flap.end().unit());

        final ScenarioFile.Episode congestion = file.episodes().get(2);
        assertEquals(ScenarioFile.Kind.CONGESTION, congestion.kind());
        assertEquals(80.0, congestion.delayPercent());
        assertEquals(20.0, congestion.delayMs());
        assertEquals(0.005, congestion.loss(), 1e-15);

        final ScenarioFile.Episode loss = file.episodes().get(3);
        assertEquals(ScenarioFile.Kind.LOSS, loss.kind());
        assertTrue(loss.auto());
        assertNull(loss.a());
        assertEquals(0.02, loss.loss());
        assertEquals(5, loss.line());
    }

    @Test
    void shouldResolveSecondsPercentsAndEndAgainstTheRun()
    {
        final List<Simulation.Plan> plans = plans(
            "down link=a,b start=20s end=30",
            "down link=b,c start=1500ms end=end",
            "down link=a,c start=0% end=10%",
            "down link=c,d start=50% end=100%");
        assertEquals(20 * S, plans.get(0).startNs());
        assertEquals(30 * S, plans.get(0).endNs());
        assertEquals(1_500_000_000L, plans.get(1).startNs());
        assertEquals(DURATION_NS, plans.get(1).endNs());
        assertEquals(WARMUP_NS, plans.get(2).startNs(), "0% is the end of the warm-up");
        assertEquals(WARMUP_NS + 9 * S, plans.get(2).endNs(), "10% of the 90 s window after it");
        assertEquals(55 * S, plans.get(3).startNs());
        assertEquals(DURATION_NS, plans.get(3).endNs());
    }

    @Test
    void shouldResolveLinksToMatrixIdsInEitherOrderAndLeaveAutoOpen()
    {
        final SimMatrix matrix = matrix();
        final List<Simulation.Plan> plans = plans("loss link=c,b start=0 end=end loss=1%", "loss link=auto start=0 end=end loss=1%");
        assertEquals(matrix.id("c"), plans.get(0).a());
        assertEquals(matrix.id("b"), plans.get(0).b());
        assertTrue(plans.get(0).a() > 0 && plans.get(0).b() > 0);
        assertEquals(0, plans.get(1).a(), "auto: the link is chosen when the episode starts");
        assertEquals(0, plans.get(1).b());
        assertEquals(0, matrix.id("nowhere"));
    }

    @Test
    void shouldTurnEachKindIntoItsPlan()
    {
        final List<Simulation.Plan> plans = plans(
            "flap link=a,b start=20s end=60s every=10s for=2s",
            "congestion link=a,b start=20s end=60s delay=+20ms",
            "congestion link=a,b start=20s end=60s delay=+50%",
            "congestion link=a,b start=20s end=60s delay=+50%+5ms loss=1%",
            "loss link=a,b start=20s end=60s loss=3%");
        final Simulation.Plan flap = plans.get(0);
        assertTrue(flap.down());
        assertEquals(10 * S, flap.periodNs());
        assertEquals(2 * S, flap.downNs());
        assertEquals(60 * S, flap.cutNs(), "a file's flap is cut at its end");
        assertEquals(0.0, plans.get(1).extraFraction());
        assertEquals(20.0, plans.get(1).extraMs());
        assertEquals(0.0, plans.get(1).loss());
        assertEquals(0.5, plans.get(2).extraFraction());
        assertEquals(0.0, plans.get(2).extraMs());
        assertEquals(0.5, plans.get(3).extraFraction());
        assertEquals(5.0, plans.get(3).extraMs());
        assertEquals(0.01, plans.get(3).loss());
        assertFalse(plans.get(4).down());
        assertEquals(0.03, plans.get(4).loss(), 1e-15);
        assertEquals(0.0, plans.get(4).extraMs());
    }

    @Test
    void shouldIgnoreCommentsBlankLinesAndAByteOrderMark()
    {
        final ScenarioFile file = parse(
            "\uFEFF# a comment",
            "",
            "   ",
            "name quiet   # trailing comment",
            "down link=a,b start=20s end=30s # the link dies",
            "\t# indented comment");
        assertEquals("quiet", file.name());
        assertEquals(1, file.episodes().size());
        assertEquals(5, file.episodes().get(0).line());
        assertEquals("s", parse("# nothing").name(), "no name directive: the default");
        assertTrue(parse().episodes().isEmpty());
    }

    @Test
    void shouldNameTheRunAfterTheFileWithoutItsExtension() throws IOException
    {
        final Path file = dir.resolve("rush-hour.scenario");
        Files.writeString(file, "congestion link=auto start=10% end=40% delay=+80%\n");
        final ScenarioFile scenario = ScenarioFile.read(file);
        assertEquals("rush-hour", scenario.name());
        assertEquals(file.toString(), scenario.source());
        assertEquals(1, scenario.episodes().size());
        final Path named = dir.resolve("plain");
        Files.writeString(named, "name evening\n");
        assertEquals("evening", ScenarioFile.read(named).name());
    }

    @Test
    void shouldReportSyntaxErrorsWithTheirLineNumber()
    {
        assertEquals("scenario s.scenario:2: unknown kind 'meteor' (down, flap, congestion or loss; name NAME only as the "
            + "first directive)", parseError("# c", "meteor link=a,b start=1 end=2"));
        assertEquals("scenario s.scenario:1: unknown key 'until' for down (link, start, end)",
            parseError("down link=a,b start=1 until=2"));
        assertEquals("scenario s.scenario:1: unknown key 'loss' for flap (link, start, end, every, for)",
            parseError("flap link=a,b start=1 end=9 every=2s for=1s loss=1%"));
        assertEquals("scenario s.scenario:3: missing key 'end' for down",
            parseError("down link=a,b start=1 end=2", "", "down link=a,b start=1"));
        assertEquals("scenario s.scenario:1: missing key 'delay' for congestion",
            parseError("congestion link=a,b start=1 end=2 loss=1%"));
        assertEquals("scenario s.scenario:1: missing key 'loss' for loss", parseError("loss link=a,b start=1 end=2"));
        assertEquals("scenario s.scenario:1: missing key 'link' for down", parseError("down start=1 end=2"));
        assertEquals("scenario s.scenario:1: expected key=value, not 'start'", parseError("down link=a,b start end=2"));
        assertEquals("scenario s.scenario:1: expected key=value, not 'start='", parseError("down link=a,b start= end=2"));
        assertEquals("scenario s.scenario:1: key 'start' given twice", parseError("down link=a,b start=1 start=2 end=3"));
        assertEquals("scenario s.scenario:2: name must be the first directive",
            parseError("down link=a,b start=1 end=2", "name late"));
        assertEquals("scenario s.scenario:1: name needs a value", parseError("name"));
        assertEquals("scenario s.scenario:1: link must be A,B (two POP names) or auto, not 'a'",
            parseError("down link=a start=1 end=2"));
        assertEquals("scenario s.scenario:1: link must be A,B (two POP names) or auto, not 'a,b,c'",
            parseError("down link=a,b,c start=1 end=2"));
        assertEquals("scenario s.scenario:1: link a,a needs two different POPs", parseError("down link=a,a start=1 end=2"));
    }

    @Test
    void shouldReportBadNumbersWithTheirLineNumber()
    {
        for (final String bad : new String[]{"soon", "-5s", "1e3", "NaN", "30d", "20 %", "5min", "%"})
        {
            final String message = parseError("down link=a,b start=" + bad.replace(' ', '_') + " end=end");
            assertTrue(message.startsWith("scenario s.scenario:1: bad time start="), message);
        }
        assertEquals("scenario s.scenario:1: start=120% is beyond the run (more than 100% of the window)",
            parseError("down link=a,b start=120% end=end"));
        assertTrue(parseError("flap link=a,b start=1 end=9 every=2 for=1s")
            .startsWith("scenario s.scenario:1: bad duration every=2 (as 2s or 500ms)"));
        assertTrue(parseError("flap link=a,b start=1 end=9 every=2s for=10%").startsWith("scenario s.scenario:1: bad duration for="));
        assertEquals("scenario s.scenario:1: for=0ms must be more than 0", parseError("flap link=a,b start=1 end=9 every=2s for=0ms"));
        assertEquals("scenario s.scenario:1: every=2s must be longer than for=2s",
            parseError("flap link=a,b start=1 end=9 every=2s for=2s"));
        assertEquals("scenario s.scenario:1: every=1s must be longer than for=1500ms",
            parseError("flap link=a,b start=1 end=9 every=1s for=1500ms"));
        for (final String bad : new String[]{"80%", "+80", "+20ms+80%", "+80%+80%", "+20ms+5ms", "+-5ms", "+80%20ms", "fast"})
        {
            assertEquals("scenario s.scenario:1: bad delay=" + bad + " (as +80%, +20ms or +80%+20ms)",
                parseError("congestion link=a,b start=1 end=9 delay=" + bad), bad);
        }
        assertEquals("scenario s.scenario:1: delay=+0%+0ms must add a positive, finite delay",
            parseError("congestion link=a,b start=1 end=9 delay=+0%+0ms"));
        assertEquals("scenario s.scenario:1: loss=101% is outside 0..1 (0%..100%)", parseError("loss link=a,b start=1 end=9 loss=101%"));
        assertEquals("scenario s.scenario:1: loss=1.5 is outside 0..1 (0%..100%)", parseError("loss link=a,b start=1 end=9 loss=1.5"));
        assertEquals("scenario s.scenario:1: bad loss=-0.1 (as 2% or 0.02)", parseError("loss link=a,b start=1 end=9 loss=-0.1"));
        assertEquals("scenario s.scenario:1: bad loss=lots (as 2% or 0.02)",
            parseError("congestion link=a,b start=1 end=9 delay=+5ms loss=lots"));
    }

    @Test
    void shouldReportErrorsAgainstTheMatrixAndTheRunWithTheirLineNumber()
    {
        assertEquals("scenario s.scenario:2: unknown POP 'x' (not in the matrix)",
            planError("down link=a,b start=20s end=30s", "down link=a,x start=20s end=30s"));
        assertEquals("scenario s.scenario:1: unknown POP 'y' (not in the matrix)", planError("down link=y,a start=20s end=30s"));
        assertEquals("scenario s.scenario:1: no direct link between a and d in the matrix",
            planError("down link=a,d start=20s end=30s"));
        assertEquals("scenario s.scenario:1: start=30s (30 s) must be before end=20s (20 s)",
            planError("down link=a,b start=30s end=20s"));
        assertEquals("scenario s.scenario:1: start=50% (55 s) must be before end=55s (55 s)",
            planError("down link=a,b start=50% end=55s"));
        assertEquals("scenario s.scenario:1: start=end (100 s) must be before end=end (100 s)",
            planError("loss link=auto start=end end=end loss=1%"));
        assertEquals("scenario s.scenario:3: end=101s is beyond the run (100 s)",
            planError("# x", "", "down link=a,b start=20s end=101s"));
        assertEquals("scenario s.scenario:1: the flap would make 90000 outages, at most 10000",
            planError("flap link=a,b start=10s end=end every=1ms for=0.5ms"));
    }

    @Test
    void shouldReportAMissingOrNonUtf8File() throws IOException
    {
        final Path absent = dir.resolve("absent.scenario");
        final IllegalArgumentException missing = assertThrows(IllegalArgumentException.class, () -> ScenarioFile.read(absent));
        assertEquals("scenario " + absent + ": no such file", missing.getMessage());
        final Path binary = dir.resolve("binary.scenario");
        Files.write(binary, new byte[]{'d', 'o', 'w', 'n', ' ', (byte)0xC3, (byte)0x28, '\n'});
        final IllegalArgumentException bad = assertThrows(IllegalArgumentException.class, () -> ScenarioFile.read(binary));
        assertEquals("scenario " + binary + ": not UTF-8 text", bad.getMessage());
    }
}
