package io.flyover.optimizer.sim;

import java.nio.file.Path;

/** Manual runner: {@code SimMain FILE SCENARIO DURATION_S SEED}. */
final class SimMain
{
    private SimMain()
    {
    }

    public static void main(final String[] args)
    {
        final long start = System.nanoTime();
        final SimResult result = new Simulation(SimMatrix.read(Path.of(args[0])),
            SimConfig.defaults(SimScenario.of(args[1]), Double.parseDouble(args[2]), Long.parseLong(args[3]))).run();
        System.out.print(result.toText());
        System.out.println(result.toJson());
        System.out.printf("wall %.1f s%n", (System.nanoTime() - start) / 1e9);
    }
}
