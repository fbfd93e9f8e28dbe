package kiln.samples;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.sun.management.ThreadMXBean;
import java.lang.management.ManagementFactory;
import java.util.SplittableRandom;
import java.util.function.BiFunction;
import kiln.runtime.Batch;
import kiln.runtime.CompiledModel;
import kiln.runtime.TargetKind;
import kiln.runtime.optim.Optimizer;
import kiln.runtime.optim.Optimizers;
import kiln.samples.binary.MnistThreeVsEightModel;
import kiln.samples.conv.LeNetCifarModel;
import kiln.samples.conv.LeNetFashionModel;
import kiln.samples.conv.LeNetMnistModel;
import kiln.samples.conv.ResNetFashionModel;
import kiln.samples.features.CubicRegressionModel;
import kiln.samples.features.SineRegressionModel;
import kiln.samples.mnist.MnistMlpModel;
import kiln.samples.mnist.ResidualMlpModel;
import kiln.samples.tabular.WineClassifierModel;
import kiln.samples.text.CharGruModel;
import kiln.samples.text.CharLstmModel;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * A steady-state training step (forward, loss, backward, optimizer) allocates nothing, on the
 * calling thread and on the model's worker threads, per the JVM's per-thread allocation counters.
 * Not a timing: the JIT needs warm-up steps before escape analysis and intrinsics settle, so the
 * test looks for a clean window of steps after warming up.
 */
class SteadyStateAllocationTest {
    private static final ThreadMXBean THREADS = (ThreadMXBean) ManagementFactory.getThreadMXBean();

    @ParameterizedTest
    @CsvSource({"MnistMlp, 1, momentum", "MnistMlp, 2, adam", "ResidualMlp, 2, momentum", "MnistThreeVsEight, 1, sgd",
            "CubicRegression, 1, nesterov", "LeNetMnist, 1, momentum",
            "LeNetMnist, 2, adam", "ResNetFashion, 1, momentum", "ImageOps, 2, sgd", "LeNetFashion, 2, adamw",
            "LeNetCifar, 2, momentum", "SineRegression, 1, rmsprop", "WineClassifier, 1, adagrad",
            "FluentResidualMlp, 2, momentum", "FluentLeNetMnist, 1, adam", "Vae, 2, adam", "DenoisingAutoencoder, 1, adam",
            "SparseAutoencoder, 2, adam", "ConvAutoencoder, 1, adam", "Discriminator, 2, adam"})
    void trainingStepAllocatesNothing(String sample, int threads, String optimizer) {
        BiFunction<Integer, Integer, CompiledModel> factory = switch (sample) {
            case "MnistMlp" -> MnistMlpModel::new;
            case "ResidualMlp" -> ResidualMlpModel::new;
            case "MnistThreeVsEight" -> MnistThreeVsEightModel::new;
            case "LeNetMnist" -> LeNetMnistModel::new;
            case "ResNetFashion" -> ResNetFashionModel::new;
            case "ImageOps" -> ImageOpsModel::new;
            case "LeNetFashion" -> LeNetFashionModel::new;
            case "LeNetCifar" -> LeNetCifarModel::new;
            case "SineRegression" -> SineRegressionModel::new;
            case "WineClassifier" -> WineClassifierModel::new;
            case "FluentResidualMlp" -> kiln.samples.fluent.ResidualMlpModel::new;
            case "FluentLeNetMnist" -> kiln.samples.fluent.LeNetMnistModel::new;
            case "Vae" -> kiln.samples.generative.VaeModel::new;
            case "DenoisingAutoencoder" -> kiln.samples.generative.DenoisingAutoencoderModel::new;
            case "SparseAutoencoder" -> kiln.samples.generative.SparseAutoencoderModel::new;
            case "ConvAutoencoder" -> kiln.samples.generative.ConvAutoencoderModel::new;
            case "Discriminator" -> kiln.samples.generative.DiscriminatorModel::new;
            default -> CubicRegressionModel::new;
        };
        int rows = sample.equals("ResNetFashion") ? 2 : 32; // its steps cost 20x the others': keep the test short
        try (CompiledModel model = factory.apply(rows, threads)) {
            model.initParams(1);
            Batch batch = randomBatch(model, rows);
            Optimizer opt = Optimizers.create(optimizer, model.params(), 1e-3);
            long best = fewestBytesInAWindow(() -> {
                for (int i = 0; i < 200; i++) step(model, opt, batch);
            });
            assertEquals(0, best, sample + ": bytes allocated by 200 steady-state training steps");
        }
    }

    /** Windows measured at least, before a model that still allocates fails. */
    private static final int MIN_WINDOWS = 40;
    /**
     * And at least this long: a small model runs its 40 windows in half a second, which on two
     * cores may pass before the JIT, still busy with the models tested before it, compiles its
     * step (seen: the Wine classifier's ReLU backward still running the Vector API's Java
     * fallback after 8,000 steps).
     */
    private static final long MIN_NANOS = 15_000_000_000L;

    /**
     * Runs {@code window} until one run allocates nothing on the calling thread and on the
     * model's workers, at least {@link #MIN_WINDOWS} times and {@link #MIN_NANOS} long; returns
     * the fewest bytes one run allocated.
     */
    private static long fewestBytesInAWindow(Runnable window) {
        long[] workers = workerThreadIds();
        long best = Long.MAX_VALUE, start = System.nanoTime();
        for (int w = 0; best > 0 && (w < MIN_WINDOWS || System.nanoTime() - start < MIN_NANOS); w++) {
            long[] workersBefore = THREADS.getThreadAllocatedBytes(workers);
            long callerBefore = THREADS.getCurrentThreadAllocatedBytes();
            window.run();
            long total = THREADS.getCurrentThreadAllocatedBytes() - callerBefore;
            long[] workersAfter = THREADS.getThreadAllocatedBytes(workers);
            for (int i = 0; i < workers.length; i++) total += workersAfter[i] - workersBefore[i];
            best = Math.min(best, total);
        }
        return best;
    }

    private static void step(CompiledModel model, Optimizer opt, Batch batch) {
        model.forward(batch.x, batch.size);
        model.lossAndGrad(batch);
        model.backward(batch.x, batch.size);
        opt.step();
    }

    /** The model's worker threads (the calling thread is worker 0 and is measured on its own). */
    private static long[] workerThreadIds() {
        return Thread.getAllStackTraces().keySet().stream()
                .filter(t -> t.getName().startsWith("kiln-worker"))
                .mapToLong(Thread::threadId).toArray();
    }

    private static Batch randomBatch(CompiledModel model, int n) {
        SplittableRandom rnd = new SplittableRandom(3);
        Batch b = new Batch(n, model.inputSize(), model.targetSize());
        for (int i = 0; i < b.x.length; i++) b.x[i] = (float) rnd.nextDouble();
        for (int r = 0; r < n; r++) b.labels[r] = rnd.nextInt(model.outputSize());
        for (int i = 0; i < b.targets.length; i++) {
            b.targets[i] = model.targetKind() == TargetKind.BINARY ? rnd.nextInt(2) : (float) rnd.nextDouble();
        }
        b.size = n;
        return b;
    }

    /**
     * A truncated-BPTT step of the character models as {@code SequenceTrainer} takes it: the next
     * chunk of the text streams (a short one at the end of the text), the state carried over,
     * dropout between the layers, forward, loss, backward, clipping, Adam.
     */
    @ParameterizedTest
    @CsvSource({"CharLstm, 1", "CharLstm, 2", "CharGru, 2"})
    void sequenceTrainingStepAllocatesNothing(String sample, int threads) {
        int streams = 2;
        try (CompiledModel model = sample.equals("CharLstm") ? new CharLstmModel(streams, threads) : new CharGruModel(streams, threads)) {
            model.initParams(1);
            kiln.runtime.SequenceModel sequence = (kiln.runtime.SequenceModel) model;
            int[] text = new int[streams * (sequence.timeSteps() * 2 + 40) + 1];
            SplittableRandom rnd = new SplittableRandom(3);
            for (int i = 0; i < text.length; i++) text[i] = rnd.nextInt(74);
            kiln.runtime.text.TokenStreams chunks = new kiln.runtime.text.TokenStreams(text, streams, sequence.timeSteps());
            Batch batch = kiln.runtime.SequenceModel.batchFor(model, streams);
            kiln.runtime.Param[] params = model.params().toArray(new kiln.runtime.Param[0]);
            Optimizer opt = Optimizers.create("adam", model.params(), 1e-3);
            sequence.setCarryState(true);
            long best = fewestBytesInAWindow(() -> {
                for (int i = 0; i < 12; i++) {
                    int active = chunks.next(batch);
                    if (active == 0) {
                        chunks.start(i % sequence.timeSteps());
                        sequence.resetState();
                        active = chunks.next(batch);
                    }
                    sequence.setActiveSteps(active);
                    model.forward(batch.x, batch.size);
                    model.lossAndGrad(batch);
                    model.backward(batch.x, batch.size);
                    kiln.runtime.optim.Gradients.clipByGlobalNorm(params, 5);
                    opt.step();
                }
            });
            assertEquals(0, best, sample + ": bytes allocated by 12 steady-state truncated-BPTT steps");
        }
    }
}
