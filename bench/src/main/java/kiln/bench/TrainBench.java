package kiln.bench;

import java.util.ArrayList;
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
 */
public final class TrainBench {
    private static final int POOL = 8;

    public static void main(String[] args) {
        String model = "mlp";
        String mode = "train";
        int threads = 1;
        int batch = 64;
        double seconds = 4;
        int windows = 5;
        double warmup = 2;
        boolean profile = false;
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--model" -> model = args[++i];
                case "--mode" -> mode = args[++i];
                case "--threads" -> threads = Integer.parseInt(args[++i]);
                case "--batch" -> batch = Integer.parseInt(args[++i]);
                case "--seconds" -> seconds = Double.parseDouble(args[++i]);
                case "--windows" -> windows = Integer.parseInt(args[++i]);
                case "--warmup" -> warmup = Double.parseDouble(args[++i]);
                case "--profile" -> profile = true;
                default -> {
                    System.err.println("error: unknown option " + args[i] + "; use --model mlp --mode train|infer --threads N --batch N [--profile]");
                    System.exit(2);
                }
            }
        }
        if (!List.of("train", "infer").contains(mode) || profile && !mode.equals("train")) {
            System.err.println("error: --mode " + mode + (profile ? " with --profile" : "") + "; use --mode train|infer, --profile with train");
            System.exit(2);
        }
        if (!List.of("mlp", "lenet", "lenet_fmnist").contains(model)) {
            System.err.println("error: unknown model " + model + "; available: mlp, lenet, lenet_fmnist");
            System.exit(2);
        }
        try (CompiledModel m = switch (model) {
            case "lenet" -> new BenchLeNetModel(batch, threads);
            case "lenet_fmnist" -> new BenchLeNetFmnistModel(batch, threads);
            default -> new BenchMlpModel(batch, threads);
        }) {
            m.initParams(0);
            Batch[] data = randomBatches(m, batch);
            Optimizer opt = new Sgd(m.params(), 0.01, model.equals("mlp") ? 0 : 0.9, 0, false); // as pytorch_bench.py
            opt.useWorkers(m.workerPool()); // as the trainer does
            boolean train = mode.equals("train");
            if (profile) {
                System.out.println(StepProfile.measure(data, new String[] {"forward", "loss", "backward", "sgd"},
                        new StepProfile.Phase[] {
                            b -> m.forward(b.x, b.size), m::lossAndGrad, b -> m.backward(b.x, b.size), b -> opt.step()},
                        warmup, seconds));
                return;
            }
            int[] next = {0};
            Runnable step = () -> {
                Batch b = data[next[0]++ % POOL];
                if (train) {
                    m.forward(b.x, b.size);
                    m.lossAndGrad(b);
                    m.backward(b.x, b.size);
                    opt.step();
                } else {
                    m.predict(b.x, b.size);
                }
            };
            report(model, mode, threads, batch, time(step, warmup, seconds, windows), m.parameterCount());
        }
    }

    private record Window(double stepSeconds, int steps, double otherCores) {}

    private static List<Window> time(Runnable step, double warmup, double seconds, int windows) {
        long end = System.nanoTime() + (long) (warmup * 1e9);
        while (System.nanoTime() < end) step.run();
        List<Window> clean = new ArrayList<>();
        List<Window> all = new ArrayList<>();
        long deadline = System.nanoTime() + (long) (Math.max(30, seconds) * 1e9);
        double window = seconds / windows;
        while (clean.size() < windows && (all.isEmpty() || System.nanoTime() < deadline)) {
            CpuClock start = CpuClock.now();
            long t0 = System.nanoTime();
            int k = 0;
            double elapsed;
            do {
                step.run();
                k++;
                elapsed = (System.nanoTime() - t0) / 1e9;
            } while (elapsed < window);
            Window w = new Window(elapsed / k, k, CpuClock.now().otherCoresSince(start));
            all.add(w);
            if (w.otherCores() <= 0.2) clean.add(w);
        }
        return clean.isEmpty() ? all : clean;
    }

    private static void report(String model, String mode, int threads, int batch, List<Window> windows, long params) {
        double[] steps = windows.stream().mapToDouble(Window::stepSeconds).sorted().toArray();
        double median = steps[steps.length / 2];
        double other = windows.stream().mapToDouble(Window::otherCores).average().orElse(0);
        System.out.println(String.format(Locale.ROOT,
                "{\"impl\": \"kiln\", \"model\": \"%s\", \"mode\": \"%s\", \"threads\": %d, \"batch\": %d, "
                        + "\"samples_per_s\": %.1f, \"step_ms_median\": %.4f, \"params\": %d, \"other_cores_busy\": %.3f}",
                model, mode, threads, batch, batch / median, median * 1e3, params, other));
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
