package kiln.bench;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.SplittableRandom;
import kiln.runtime.Batch;
import kiln.runtime.CompiledModel;
import kiln.runtime.Param;
import kiln.runtime.SequenceModel;
import kiln.runtime.optim.Adam;
import kiln.runtime.optim.Gradients;
import kiln.runtime.optim.Optimizer;

/**
 * Kiln's side of {@code shared/bench/pytorch_bench.py --model charlstm|rnn}: the same workloads
 * (see {@link BenchCharLstm}), the same timing protocol as {@link TrainBench} (warm-up, then timed
 * windows; the median per-step time over windows in which other processes stayed under 0.2
 * cores), one JSON line on stdout with {@code tokens_per_s}. A step is forward, loss, backward,
 * clipping at global norm 5, Adam.
 *
 * <pre>java --add-modules jdk.incubator.vector -cp ... kiln.bench.SequenceBench --model charlstm --threads 2</pre>
 *
 * With {@code --profile}, prints instead the mean milliseconds per phase of the step.
 */
public final class SequenceBench {
    private static final int POOL = 8;
    private static final int VOCAB = 65;

    public static void main(String[] args) {
        String model = "charlstm";
        int threads = 1, batch = 32;
        double seconds = 4, warmup = 2;
        int windows = 5;
        boolean profile = false;
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--model" -> model = args[++i];
                case "--threads" -> threads = Integer.parseInt(args[++i]);
                case "--batch" -> batch = Integer.parseInt(args[++i]);
                case "--seconds" -> seconds = Double.parseDouble(args[++i]);
                case "--windows" -> windows = Integer.parseInt(args[++i]);
                case "--warmup" -> warmup = Double.parseDouble(args[++i]);
                case "--mode" -> {
                    if (!args[++i].equals("train")) fail("only --mode train is defined for " + model);
                }
                case "--profile" -> profile = true;
                default -> fail("unknown option " + args[i] + "; use --model charlstm|rnn --threads N --batch N [--profile]");
            }
        }
        CompiledModel m = switch (model) {
            case "charlstm" -> new BenchCharLstmModel(batch, threads);
            case "rnn" -> new BenchCharRnnModel(batch, threads);
            default -> {
                fail("unknown model " + model + "; available: charlstm, rnn");
                yield null;
            }
        };
        try (m) {
            m.initParams(0);
            int steps = ((SequenceModel) m).timeSteps();
            Batch[] data = randomBatches(m, batch);
            Param[] params = m.params().toArray(new Param[0]);
            Optimizer opt = new Adam(m.params(), 2e-3, 0.9, 0.999, 1e-8, 0);
            opt.useWorkers(m.workerPool()); // as the trainer does
            int[] next = {0};
            if (profile) {
                System.out.println(StepProfile.measure(data, new String[] {"forward", "loss", "backward", "clip", "adam"},
                        new StepProfile.Phase[] {
                            b -> m.forward(b.x, b.size), m::lossAndGrad, b -> m.backward(b.x, b.size),
                            b -> Gradients.clipByGlobalNorm(params, 5), b -> opt.step()},
                        warmup, seconds));
                return;
            }
            Runnable step = () -> {
                Batch b = data[next[0]++ % POOL];
                m.forward(b.x, b.size);
                m.lossAndGrad(b);
                m.backward(b.x, b.size);
                Gradients.clipByGlobalNorm(params, 5);
                opt.step();
            };
            List<double[]> measured = time(step, warmup, seconds, windows);
            double[] perStep = measured.stream().mapToDouble(w -> w[0]).sorted().toArray();
            double median = perStep[perStep.length / 2];
            double other = measured.stream().mapToDouble(w -> w[1]).average().orElse(0);
            System.out.println(String.format(Locale.ROOT,
                    "{\"impl\": \"kiln\", \"model\": \"%s\", \"mode\": \"train\", \"threads\": %d, \"batch\": %d, "
                            + "\"samples_per_s\": %.1f, \"tokens_per_s\": %.1f, \"step_ms_median\": %.4f, \"params\": %d, "
                            + "\"seq\": %d, \"other_cores_busy\": %.3f}",
                    model, threads, batch, batch / median, batch * steps / median, median * 1e3, m.parameterCount(), steps,
                    other));
        }
    }

    /** Windows of {@code seconds / windows}: [seconds per step, other processes' cores]; the clean ones if any. */
    private static List<double[]> time(Runnable step, double warmup, double seconds, int windows) {
        long end = System.nanoTime() + (long) (warmup * 1e9);
        while (System.nanoTime() < end) step.run();
        List<double[]> clean = new ArrayList<>(), all = new ArrayList<>();
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
            double[] w = {elapsed / k, CpuClock.now().otherCoresSince(start)};
            all.add(w);
            if (w[1] <= 0.2) clean.add(w);
        }
        return clean.isEmpty() ? all : clean;
    }

    private static Batch[] randomBatches(CompiledModel m, int batch) {
        SplittableRandom rnd = new SplittableRandom(0);
        Batch[] pool = new Batch[POOL];
        for (int p = 0; p < POOL; p++) {
            Batch b = SequenceModel.batchFor(m, batch);
            for (int i = 0; i < batch * m.inputSize(); i++) b.x[i] = rnd.nextInt(VOCAB);
            for (int i = 0; i < b.labels.length; i++) b.labels[i] = rnd.nextInt(VOCAB);
            b.size = batch;
            pool[p] = b;
        }
        return pool;
    }

    private static void fail(String message) {
        System.err.println("error: " + message);
        System.exit(2);
    }
}
