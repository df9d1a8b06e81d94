package io.flyover.optimizer.sim;

import java.util.Locale;

/**
 * Built-in scenarios. Each episode picks its link when it starts, deterministically from the seed,
 * among the links of the sampled pairs' current preferred routes, so it matters to the flows.
 * Times are fractions of the measured window (after the warm-up).
 */
public enum SimScenario
{
    /** Noise only. */
    STEADY("steady"),
    /**
     * One congestion episode per four sampled pairs (at least 2), each on its own link, lasting
     * 10–30% of the window: +50–150% of base +10–40 ms, and 0.5% loss.
     */
    CONGESTION("congestion"),
    /** Three links go down for 10% of the window each, at 20%, 45% and 70%. */
    LINK_FAILURE("link-failure"),
    /** One link goes down for 2 s every 10 s from 20% to 80% of the window. */
    FLAPPING_LINK("flapping-link"),
    /** One link loses 2% of packets from 20% of the window to the end. */
    GRAY_FAILURE("gray-failure");

    private final String label;

    SimScenario(final String label)
    {
        this.label = label;
    }

    /**
     * @return the name used on the command line.
     */
    public String label()
    {
        return label;
    }

    /**
     * @param name command-line name.
     * @return the scenario.
     * @throws IllegalArgumentException if unknown.
     */
    public static SimScenario of(final String name)
    {
        final SimScenario scenario = find(name);
        if (scenario == null)
        {
            throw new IllegalArgumentException("unknown scenario '" + name + "' (" + labels() + ")");
        }
        return scenario;
    }

    /**
     * @param name command-line name, any case.
     * @return the scenario, or {@code null} if no built-in has that name.
     */
    public static SimScenario find(final String name)
    {
        for (final SimScenario s : values())
        {
            if (s.label.equals(name.toLowerCase(Locale.ROOT)))
            {
                return s;
            }
        }
        return null;
    }

    /**
     * @return the built-in names, comma-separated.
     */
    public static String labels()
    {
        final StringBuilder sb = new StringBuilder();
        for (final SimScenario s : values())
        {
            sb.append(sb.isEmpty() ? "" : ", ").append(s.label);
        }
        return sb.toString();
    }
}
