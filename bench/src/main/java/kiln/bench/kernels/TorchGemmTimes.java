package kiln.bench.kernels;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * torch.mm's median call time on each {@link GemmShape}, per thread count, as scripts/torch_gemm.py
 * prints it ("NAME THREADS MEDIAN_US" per line): the same product timed by PyTorch in
 * the same run, which {@link GflopsSummary} sets beside Kiln's median. On the narrow shapes even a
 * BLAS stays far below its 1024 x 1024 rate, so this is the fair reference there.
 */
record TorchGemmTimes(Map<String, Double> medianSeconds) {
    static final TorchGemmTimes NONE = new TorchGemmTimes(Map.of());

    /** The file named by {@code -Dkiln.torch.gemm}, or {@link #NONE} when it is not set. */
    static TorchGemmTimes fromProperty(String path) {
        if (path == null || path.isBlank()) return NONE;
        try {
            return parse(Files.readAllLines(Path.of(path)));
        } catch (IOException e) {
            throw new UncheckedIOException("kiln.torch.gemm: cannot read " + path, e);
        }
    }

    static TorchGemmTimes parse(List<String> lines) {
        Map<String, Double> medians = new HashMap<>();
        for (String line : lines) {
            if (line.isBlank()) continue;
            String[] f = line.trim().split("\\s+");
            try {
                if (f.length != 3) throw new IllegalArgumentException("3 fields");
                GemmShape shape = GemmShape.valueOf(f[0]);
                medians.put(key(shape.name(), Integer.parseInt(f[1])), Double.parseDouble(f[2]) * 1e-6);
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException("kiln.torch.gemm: expected 'SHAPE THREADS MEDIAN_US', got '" + line + "'", e);
            }
        }
        return new TorchGemmTimes(Map.copyOf(medians));
    }

    /** torch.mm's GFLOP/s over its median call on this shape and thread count, or NaN if not timed. */
    double medianGflops(String shape, int threads) {
        Double seconds = medianSeconds.get(key(shape, threads));
        return seconds == null ? Double.NaN : GemmShape.valueOf(shape).flops() / seconds / 1e9;
    }

    private static String key(String shape, int threads) {
        return shape + "@" + threads;
    }
}
