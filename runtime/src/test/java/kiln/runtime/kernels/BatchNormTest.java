package kiln.runtime.kernels;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.SplittableRandom;
import kiln.dsl.Activation;
import kiln.runtime.parallel.WorkerPool;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Batch norm's forward against its definition, PyTorch's running-statistics update included. */
class BatchNormTest {
    @ParameterizedTest
    @CsvSource({"3, 20, 1", "4, 1, 2", "5, 7, 2"})
    void normalisesByBatchStatisticsAndUpdatesRunningOnesWithUnbiasedVariance(int channels, int hw, int threads) {
        int n = 6;
        SplittableRandom rnd = new SplittableRandom(channels + hw);
        float[] x = new float[n * channels * hw];
        for (int i = 0; i < x.length; i++) x[i] = (float) rnd.nextDouble(-2, 3);
        float[] gamma = new float[channels], beta = new float[channels], runMean = new float[channels], runVar = new float[channels];
        for (int c = 0; c < channels; c++) {
            gamma[c] = 0.5f + c;
            beta[c] = -c;
            runMean[c] = 0.25f;
            runVar[c] = 2f;
        }
        float[] y = new float[x.length];
        try (WorkerPool pool = new WorkerPool(threads)) {
            BatchNorm bn = new BatchNorm(pool, channels, hw, 0.1, 1e-5);
            bn.forward(x, gamma, beta, runMean, runVar, Activation.IDENTITY, y, n, true, true);
            for (int c = 0; c < channels; c++) {
                double sum = 0, squares = 0;
                int m = n * hw;
                for (int r = 0; r < n; r++) for (int j = 0; j < hw; j++) sum += x[(r * channels + c) * hw + j];
                double mean = sum / m;
                for (int r = 0; r < n; r++) {
                    for (int j = 0; j < hw; j++) squares += Math.pow(x[(r * channels + c) * hw + j] - mean, 2);
                }
                double var = squares / m;
                for (int r = 0; r < n; r++) {
                    for (int j = 0; j < hw; j++) {
                        int i = (r * channels + c) * hw + j;
                        assertEquals(gamma[c] * (x[i] - mean) / Math.sqrt(var + 1e-5) + beta[c], y[i], 1e-4, "y[" + i + "]");
                    }
                }
                assertEquals(0.9 * 0.25 + 0.1 * mean, runMean[c], 1e-5, "running mean");
                assertEquals(0.9 * 2 + 0.1 * var * m / (m - 1), runVar[c], 1e-5, "running variance (unbiased)");
            }
            float[] before = runMean.clone();
            bn.forward(x, gamma, beta, runMean, runVar, Activation.RELU, y, n, false, true);
            for (int i = 0; i < x.length; i++) {
                int c = (i / hw) % channels;
                double expected = gamma[c] * (x[i] - runMean[c]) / Math.sqrt(runVar[c] + 1e-5) + beta[c];
                assertEquals(Math.max(expected, 0), y[i], 1e-4, "inference y[" + i + "]");
            }
            assertEquals(before[0], runMean[0], "inference leaves the running statistics alone");
        }
    }
}
