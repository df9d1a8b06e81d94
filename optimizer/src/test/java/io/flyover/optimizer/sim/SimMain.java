package io.flyover.optimizer.sim;

import io.flyover.optimizer.policy.ExplorationStrategy;
import io.flyover.optimizer.policy.PolicyConfig;

import java.nio.file.Path;

/**
 * Manual runner: {@code SimMain MATRIX SCENARIO DURATION_S SEED [PAIRS [WARMUP_S [THOMPSON|UCB]]]}, MATRIX a CSV file,
 * {@code geometric:POPS:SEED}, {@code two-regions:POPS:SEED} or {@code subset:POPS:FILE}. A system property
 * {@code policy.NAME} overrides the {@link PolicyConfig} component NAME, e.g. {@code -Dpolicy.outageNs=0}.
 */
final class SimMain
{
    private SimMain()
    {
    }

    public static void main(final String[] args)
    {
        final long start = System.nanoTime();
        final String[] spec = args[0].split(":", 3);
        final SimMatrix matrix = switch (spec[0])
        {
            case "geometric" -> SyntheticMatrices.geometric(Integer.parseInt(spec[1]), Long.parseLong(spec[2]));
            case "two-regions" -> SyntheticMatrices.twoRegions(Integer.parseInt(spec[1]), Long.parseLong(spec[2]));
            case "subset" -> SyntheticMatrices.subset(Path.of(spec[2]), Integer.parseInt(spec[1]));
            default -> SimMatrix.read(Path.of(args[0]));
        };
        final SimConfig d = SimConfig.defaults(SimScenario.of(args[1]), Double.parseDouble(args[2]), Long.parseLong(args[3]));
        final int pairs = args.length > 4 ? Integer.parseInt(args[4]) : d.pairs();
        final long warmupNs = args.length > 5 ? (long)(Double.parseDouble(args[5]) * 1e9) : d.warmupNs();
        final SimConfig config = new SimConfig(d.scenario(), d.durationNs(), warmupNs, d.seed(), pairs, d.flowsPerSecond(),
            d.paretoShape(), d.paretoMinNs(), d.linkStateIntervalNs(), d.candidateIntervalNs());
        final PolicyConfig policy = overridden(args.length > 6 ?
            PolicyConfig.DEFAULT.withStrategy(ExplorationStrategy.valueOf(args[6])) : PolicyConfig.DEFAULT);
        final SimResult result = new Simulation(matrix, config, policy).run();
        System.out.print(result.toText());
        System.out.println(result.toJson());
        System.out.printf("wall %.1f s%n", (System.nanoTime() - start) / 1e9);
    }

    /**
     * @return the config with each component named by a system property {@code policy.NAME} set to its value.
     */
    private static PolicyConfig overridden(final PolicyConfig config)
    {
        try
        {
            final java.lang.reflect.RecordComponent[] components = PolicyConfig.class.getRecordComponents();
            final Object[] values = new Object[components.length];
            final Class<?>[] types = new Class<?>[components.length];
            for (int i = 0; i < components.length; i++)
            {
                types[i] = components[i].getType();
                values[i] = components[i].getAccessor().invoke(config);
                final String text = System.getProperty("policy." + components[i].getName());
                if (text != null)
                {
                    values[i] = types[i] == long.class ? Long.parseLong(text) : types[i] == int.class ? Integer.parseInt(text) :
                        types[i] == double.class ? Double.parseDouble(text) : ExplorationStrategy.valueOf(text);
                }
            }
            return PolicyConfig.class.getDeclaredConstructor(types).newInstance(values);
        }
        catch (final ReflectiveOperationException ex)
        {
            throw new IllegalStateException(ex);
        }
    }
}
