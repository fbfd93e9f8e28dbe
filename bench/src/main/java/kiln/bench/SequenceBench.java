package kiln.bench;

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
 * With {@code --profile}, prints instead the mean milliseconds per phase of the step;
 * {@code --mode scaling} trains at 1 thread and at {@code --threads} with alternating windows, as
 * {@link TrainBench} does.
 */
public final class SequenceBench {
    private static final int POOL = 8;
    private static final int VOCAB = 65;

    public static void main(String[] args) {
        BenchRun.Options o = BenchRun.Options.parseOrExit(args, "charlstm", 32,
                "--model charlstm|rnn --mode train|scaling --threads N --batch N [--profile]");
        if (!List.of("train", "scaling").contains(o.mode)) BenchRun.fail("unknown --mode " + o.mode + " for " + o.model + "; use train or scaling");
        if (!List.of("charlstm", "rnn").contains(o.model)) BenchRun.fail("unknown model " + o.model + "; available: charlstm, rnn");
        if (o.mode.equals("scaling")) {
            BenchRun.scaling(t -> new Workload(o.model, t, o.batch), o.threads, o.warmup, o.seconds, o.windows);
            return;
        }
        try (Workload w = new Workload(o.model, o.threads, o.batch)) {
            if (o.profile) {
                System.out.println(w.profile(o.warmup, o.seconds));
                return;
            }
            w.report(TimedWindows.measure(w.step(), o.warmup, o.seconds, o.windows), null);
        }
    }

    /** One benchmark model on its own pool, with Adam and clipping as pytorch_bench.py, and its training step. */
    private static final class Workload extends BenchRun.Workload {
        final String name;
        final int threads, batch;
        final Batch[] data;
        final Param[] params;
        final Optimizer opt;
        final Runnable step = this::trainStep;
        private int next;

        Workload(String name, int threads, int batch) {
            super(name.equals("rnn") ? new BenchCharRnnModel(batch, threads) : new BenchCharLstmModel(batch, threads));
            this.name = name;
            this.threads = threads;
            this.batch = batch;
            model.initParams(0);
            data = randomBatches(model, batch);
            params = model.params().toArray(new Param[0]);
            opt = new Adam(model.params(), 2e-3, 0.9, 0.999, 1e-8, 0);
            opt.useWorkers(model.workerPool()); // as the trainer does
        }

        private void trainStep() {
            Batch b = data[next++ % POOL];
            model.forward(b.x, b.size);
            model.lossAndGrad(b);
            model.backward(b.x, b.size);
            Gradients.clipByGlobalNorm(params, 5);
            opt.step();
        }

        String profile(double warmup, double seconds) {
            return StepProfile.measure(data, new String[] {"forward", "loss", "backward", "clip", "adam"},
                    new StepProfile.Phase[] {
                        b -> model.forward(b.x, b.size), model::lossAndGrad, b -> model.backward(b.x, b.size),
                        b -> Gradients.clipByGlobalNorm(params, 5), b -> opt.step()},
                    warmup, seconds);
        }

        /** pytorch_bench.py's fields. */
        @Override
        void report(List<TimedWindows.Window> windows, String timing) {
            double median = TimedWindows.medianStepSeconds(windows);
            int steps = ((SequenceModel) model).timeSteps();
            System.out.println(String.format(Locale.ROOT,
                    "{\"impl\": \"kiln\", \"model\": \"%s\", \"mode\": \"train\", \"threads\": %d, \"batch\": %d, "
                            + "\"samples_per_s\": %.1f, \"tokens_per_s\": %.1f, \"step_ms_median\": %.4f, \"params\": %d, "
                            + "\"seq\": %d, \"other_cores_busy\": %.3f%s}",
                    name, threads, batch, batch / median, batch * steps / median, median * 1e3, model.parameterCount(), steps,
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
            Batch b = SequenceModel.batchFor(m, batch);
            for (int i = 0; i < batch * m.inputSize(); i++) b.x[i] = rnd.nextInt(VOCAB);
            for (int i = 0; i < b.labels.length; i++) b.labels[i] = rnd.nextInt(VOCAB);
            b.size = batch;
            pool[p] = b;
        }
        return pool;
    }

}
