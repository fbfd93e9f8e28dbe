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
import kiln.samples.features.CubicRegressionModel;
import kiln.samples.mnist.MnistMlpModel;
import kiln.samples.mnist.ResidualMlpModel;
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
            "CubicRegression, 1, nesterov"})
    void trainingStepAllocatesNothing(String sample, int threads, String optimizer) {
        BiFunction<Integer, Integer, CompiledModel> factory = switch (sample) {
            case "MnistMlp" -> MnistMlpModel::new;
            case "ResidualMlp" -> ResidualMlpModel::new;
            case "MnistThreeVsEight" -> MnistThreeVsEightModel::new;
            default -> CubicRegressionModel::new;
        };
        try (CompiledModel model = factory.apply(32, threads)) {
            model.initParams(1);
            Batch batch = randomBatch(model, 32);
            Optimizer opt = Optimizers.create(optimizer, model.params(), 1e-3);
            long[] workers = workerThreadIds();
            long best = Long.MAX_VALUE;
            for (int window = 0; window < 40 && best > 0; window++) {
                long[] workersBefore = THREADS.getThreadAllocatedBytes(workers);
                long callerBefore = THREADS.getCurrentThreadAllocatedBytes();
                for (int i = 0; i < 200; i++) step(model, opt, batch);
                long caller = THREADS.getCurrentThreadAllocatedBytes() - callerBefore;
                long[] workersAfter = THREADS.getThreadAllocatedBytes(workers);
                long total = caller;
                for (int w = 0; w < workers.length; w++) total += workersAfter[w] - workersBefore[w];
                best = Math.min(best, total);
            }
            assertEquals(0, best, sample + ": bytes allocated by 200 steady-state training steps");
        }
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
}
