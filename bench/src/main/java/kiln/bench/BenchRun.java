package kiln.bench;

import java.util.List;
import java.util.function.IntFunction;
import kiln.runtime.CompiledModel;

/** What {@link TrainBench} and {@link SequenceBench} share around their models: the scaling run, and the one-line error exit. */
final class BenchRun {
    /** One benchmark model on its own pool: its step, and its JSON line for a list of timed windows. */
    abstract static class Workload implements AutoCloseable {
        final CompiledModel model;

        Workload(CompiledModel model) {
            this.model = model;
        }

        abstract Runnable step();

        /** Prints one JSON line; {@code timing} (may be null) says how the windows were taken. */
        abstract void report(List<TimedWindows.Window> windows, String timing);

        /** The JSON line's closing field for {@code timing}: empty when null. */
        static String timingField(String timing) {
            return timing == null ? "" : ", \"windows\": \"" + timing + "\"";
        }

        @Override
        public void close() {
            model.close();
        }
    }

    private BenchRun() {}

    /**
     * {@code --mode scaling}: the model trained at 1 thread and at {@code threads} (at least 2) in
     * one process, windows alternating; prints the 1-thread line, then the other.
     */
    static void scaling(IntFunction<Workload> build, int threads, double warmup, double seconds, int windows) {
        try (Workload one = build.apply(1); Workload many = build.apply(Math.max(2, threads))) {
            List<List<TimedWindows.Window>> pairs = TimedWindows.alternate(one.step(), many.step(), warmup, seconds, windows);
            one.report(pairs.get(0), "alternating");
            many.report(pairs.get(1), "alternating");
        }
    }

    static void fail(String message) {
        System.err.println("error: " + message);
        System.exit(2);
    }
}
