package kiln.bench.kernels;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Every kernel benchmark set up and called once, untimed, outside JMH: the shapes still fit the
 * kernels, the generated recurrent layers still have the fields the benchmark reads, and the
 * outputs are finite. So a benchmark that no longer matches the runtime or the generated models
 * fails the build, not the next person who runs scripts/jmh.sh.
 */
class KernelBenchmarksSmokeTest {
    @ParameterizedTest
    @EnumSource(GemmShape.class)
    void everyGemmShapeRuns(GemmShape shape) {
        GemmBench bench = new GemmBench();
        bench.shape = shape;
        bench.threads = 2;
        bench.setUp();
        try {
            assertFinite(bench.multiply(), shape.name());
        } finally {
            bench.tearDown();
        }
    }

    @ParameterizedTest
    @EnumSource(ConvLayer.class)
    void everyConvLayerRunsForwardAndBackward(ConvLayer layer) {
        ConvBench bench = new ConvBench();
        bench.layer = layer;
        bench.threads = 2;
        bench.setUp();
        try {
            assertFinite(bench.forward(), layer + " forward");
            assertFinite(bench.weightGradient(), layer + " weight gradient");
            assertFinite(bench.weightAndInputGradient(), layer + " input gradient");
        } finally {
            bench.tearDown();
        }
    }

    @Test
    void fmaPeakRunsOnBothThreads() {
        FmaPeakBench bench = new FmaPeakBench();
        bench.threads = 2;
        bench.setUp();
        try {
            float sum = bench.fma();
            // each chain moves from its start (0 to 10) towards 1: finite and positive
            assertTrue(Float.isFinite(sum) && sum > 0f, "FMA chains sum to " + sum);
        } finally {
            bench.tearDown();
        }
    }

    @ParameterizedTest
    @EnumSource(RecurrentStepBench.Cell.class)
    void everyRecurrentCellRunsForwardAndBackward(RecurrentStepBench.Cell cell) {
        RecurrentStepBench bench = new RecurrentStepBench();
        RecurrentStepBench.BeforeForward forward = new RecurrentStepBench.BeforeForward();
        forward.cell = cell;
        forward.threads = 2;
        forward.buildLayer();
        try {
            forward.restoreInputProjections();
            assertFinite(bench.forward(forward), cell + " forward");
        } finally {
            forward.closeModel();
        }
        RecurrentStepBench.BeforeBackward backward = new RecurrentStepBench.BeforeBackward();
        backward.cell = cell;
        backward.threads = 2;
        backward.buildLayer();
        try {
            backward.restoreActivations();
            assertFinite(bench.backward(backward), cell + " backward");
        } finally {
            backward.closeModel();
        }
    }

    @Test
    void sgemmBaselineIsReadPerThreadCount() {
        assertEquals(Map.of(1, 95.9, 2, 184.6), KernelBenchmarks.sgemmBaseline("1=95.9,2=184.6"));
        assertEquals(Map.of(), KernelBenchmarks.sgemmBaseline(""));
        assertThrows(IllegalArgumentException.class, () -> KernelBenchmarks.sgemmBaseline("95.9"));
    }

    @Test
    void torchTimesAreReadPerShapeAndThreadCount() {
        TorchGemmTimes times = TorchGemmTimes.parse(java.util.List.of("SQUARE_1024 2 13210.00", "", "MLP_FC3_FORWARD 1 6.90"));
        assertEquals(2.0 * 1024 * 1024 * 1024 / 13210e-6 / 1e9, times.medianGflops("SQUARE_1024", 2), 1e-9);
        assertEquals(2.0 * 64 * 10 * 128 / 6.9e-6 / 1e9, times.medianGflops("MLP_FC3_FORWARD", 1), 1e-9);
        assertTrue(Double.isNaN(times.medianGflops("SQUARE_1024", 1)), "a thread count not timed has no figure");
        assertThrows(IllegalArgumentException.class, () -> TorchGemmTimes.parse(java.util.List.of("NO_SUCH_SHAPE 1 6.9")));
        assertThrows(IllegalArgumentException.class, () -> TorchGemmTimes.parse(java.util.List.of("SQUARE_1024 1 fast")));
        assertThrows(IllegalArgumentException.class, () -> TorchGemmTimes.parse(java.util.List.of("SQUARE_1024 1")));
    }

    @Test
    void everyGemmShapeIsALineTorchGemmReads() {
        for (GemmShape shape : GemmShape.values()) {
            String[] fields = shape.line().split(" ");
            assertEquals(5, fields.length, shape.line());
            assertEquals(shape, GemmShape.valueOf(fields[0]));
            assertTrue(fields[1].matches("nt|nn|tn"), "a product torch_gemm.py knows: " + shape.line());
            assertEquals(shape.m, Integer.parseInt(fields[2]), "m of " + shape.line());
            assertEquals(shape.n, Integer.parseInt(fields[3]), "n of " + shape.line());
            assertEquals(shape.k, Integer.parseInt(fields[4]), "k of " + shape.line());
        }
    }

    private static void assertFinite(float[] values, String what) {
        for (float v : values) assertTrue(Float.isFinite(v), what + " produced " + v);
    }
}
