package kiln.bench;

import java.util.List;
import java.util.Locale;
import java.util.SplittableRandom;
import kiln.runtime.Batch;
import kiln.runtime.CompiledModel;
import kiln.runtime.optim.Optimizer;
import kiln.runtime.optim.Sgd;

/**
 * Kiln's side of {@code shared/bench/pytorch_bench.py}: the same workloads, the same timing
 * protocol (warm-up, then timed windows; the median per-step time over windows in which other
 * processes stayed under 0.2 cores), one JSON line on stdout.
 *
 * <pre>java --add-modules jdk.incubator.vector -cp ... kiln.bench.TrainBench --model mlp --threads 2 [--mode infer --batch 1]</pre>
 *
 * With {@code --profile} (training), prints instead the mean milliseconds per phase of the step.
 * {@code --mode scaling} trains the model at 1 thread and at {@code --threads} (at least 2) in one
 * process, their windows alternating ({@link TimedWindows#alternate}), and prints one line for each.
 */
public final class TrainBench {
    private static final int POOL = 8;

    public static void main(String[] args) {
        BenchRun.Options o = BenchRun.Options.parseOrExit(args, "mlp", 64,
                "--model mlp|lenet|lenet_fmnist --mode train|infer|scaling --threads N --batch N [--profile]");
        if (!List.of("train", "infer", "scaling").contains(o.mode)) BenchRun.fail("unknown --mode " + o.mode + "; use train, infer or scaling");
        if (!List.of("mlp", "lenet", "lenet_fmnist").contains(o.model)) {
            BenchRun.fail("unknown model " + o.model + "; available: mlp, lenet, lenet_fmnist");
        }
        if (o.mode.equals("scaling")) {
            BenchRun.scaling(t -> new Workload(o.model, "train", t, o.batch), o.threads, o.warmup, o.seconds, o.windows);
            return;
        }
        try (Workload w = new Workload(o.model, o.mode, o.threads, o.batch)) {
            if (o.profile) {
                System.out.println(w.profile(o.warmup, o.seconds));
                return;
            }
            w.report(TimedWindows.measure(w.step(), o.warmup, o.seconds, o.windows), null);
        }
    }

    /** One benchmark model on its own pool, with pytorch_bench.py's optimizer, and its step over the batches. */
    private static final class Workload extends BenchRun.Workload {
        final String name, mode;
        final int threads, batch;
        final Batch[] data;
        final Optimizer opt;
        final Runnable step;
        private int next;

        Workload(String name, String mode, int threads, int batch) {
            super(switch (name) {
                case "lenet" -> new BenchLeNetModel(batch, threads);
                case "lenet_fmnist" -> new BenchLeNetFmnistModel(batch, threads);
                default -> new BenchMlpModel(batch, threads);
            });
            this.name = name;
            this.mode = mode;
            this.threads = threads;
            this.batch = batch;
            model.initParams(0);
            data = randomBatches(model, batch);
            opt = new Sgd(model.params(), 0.01, name.equals("mlp") ? 0 : 0.9, 0, false); // as pytorch_bench.py
            opt.useWorkers(model.workerPool()); // as the trainer does
            step = mode.equals("train") ? this::trainStep : () -> model.predict(nextBatch().x, batch);
        }

        private Batch nextBatch() {
            return data[next++ % POOL];
        }

        private void trainStep() {
            Batch b = nextBatch();
            model.forward(b.x, b.size);
            model.lossAndGrad(b);
            model.backward(b.x, b.size);
            opt.step();
        }

        String profile(double warmup, double seconds) {
            return StepProfile.measure(data, new String[] {"forward", "loss", "backward", "sgd"},
                    new StepProfile.Phase[] {
                        b -> model.forward(b.x, b.size), model::lossAndGrad, b -> model.backward(b.x, b.size), b -> opt.step()},
                    warmup, seconds);
        }

        /** pytorch_bench.py's fields. */
        @Override
        void report(List<TimedWindows.Window> windows, String timing) {
            double median = TimedWindows.medianStepSeconds(windows);
            System.out.println(String.format(Locale.ROOT,
                    "{\"impl\": \"kiln\", \"model\": \"%s\", \"mode\": \"%s\", \"threads\": %d, \"batch\": %d, "
                            + "\"samples_per_s\": %.1f, \"step_ms_median\": %.4f, \"params\": %d, \"other_cores_busy\": %.3f%s}",
                    name, mode, threads, batch, batch / median, median * 1e3, model.parameterCount(),
                    TimedWindows.meanOtherCores(windows), timingField(timing)));
        }

        @Override
        Runnable step() {
            return step;
        }
    }

    private static Batch[] randomBatches(CompiledModel m, int batch) {
        SplittableRandom rnd = new SplittableRandom(0);
        Batch[] pool = new Batch[POOL];
        for (int p = 0; p < POOL; p++) {
            Batch b = new Batch(batch, m.inputSize(), m.targetSize());
            for (int i = 0; i < b.x.length; i++) b.x[i] = (float) rnd.nextGaussian();
            for (int r = 0; r < batch; r++) b.labels[r] = rnd.nextInt(m.outputSize());
            b.size = batch;
            pool[p] = b;
        }
        return pool;
    }
}
