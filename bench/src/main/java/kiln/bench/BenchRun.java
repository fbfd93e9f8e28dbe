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

    /**
     * The command line both take: {@code --model --mode --threads --batch --seconds --windows
     * --warmup --profile}, checked for what every model needs; each bench then checks its models
     * and modes.
     */
    static final class Options {
        String model, mode = "train";
        int threads = 1, batch, windows = 5;
        double seconds = 4, warmup = 2;
        boolean profile;

        /** {@link #parse}, or exit with its one-line message. */
        static Options parseOrExit(String[] args, String model, int batch, String usage) {
            try {
                return parse(args, model, batch, usage);
            } catch (IllegalArgumentException e) {
                fail(e.getMessage());
                return null; // not reached
            }
        }

        /** Parses {@code args} over the defaults given; a bad option is an IllegalArgumentException naming it. */
        static Options parse(String[] args, String model, int batch, String usage) {
            Options o = new Options();
            o.model = model;
            o.batch = batch;
            int i = 0;
            try {
                for (; i < args.length; i++) {
                    switch (args[i]) {
                        case "--model" -> o.model = args[++i];
                        case "--mode" -> o.mode = args[++i];
                        case "--threads" -> o.threads = Integer.parseInt(args[++i]);
                        case "--batch" -> o.batch = Integer.parseInt(args[++i]);
                        case "--seconds" -> o.seconds = Double.parseDouble(args[++i]);
                        case "--windows" -> o.windows = Integer.parseInt(args[++i]);
                        case "--warmup" -> o.warmup = Double.parseDouble(args[++i]);
                        case "--profile" -> o.profile = true;
                        default -> throw new IllegalArgumentException("unknown option " + args[i] + "; use " + usage);
                    }
                }
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException("bad value " + args[i] + " for " + args[i - 1]);
            } catch (ArrayIndexOutOfBoundsException e) {
                throw new IllegalArgumentException("missing value for " + args[args.length - 1]);
            }
            if (o.threads < 1 || o.batch < 1 || o.windows < 1 || o.seconds <= 0 || o.warmup < 0) {
                throw new IllegalArgumentException("--threads, --batch, --windows and --seconds must be positive, --warmup not negative");
            }
            if (o.profile && !o.mode.equals("train")) throw new IllegalArgumentException("--profile times training; drop --mode " + o.mode);
            return o;
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
