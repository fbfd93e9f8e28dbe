package kiln.runtime.cli;

import java.io.PrintStream;
import java.nio.file.Path;

/**
 * Where a {@link Report} writes: lines to {@code out}, files next to the run's checkpoint
 * ({@code stem} + a suffix: {@code --save vae.safetensors} gives {@code vae.samples.png}), and how
 * many generated images {@code --sample N} asked for (0: none), drawn from {@code seed}.
 */
public record ReportContext(PrintStream out, Path stem, int samples, long seed) {
    /** The file {@code <stem><suffix>}, e.g. {@code file(".reconstructions.png")}. */
    public Path file(String suffix) {
        return stem.resolveSibling(stem.getFileName() + suffix);
    }

    /** The stem for a run: the checkpoint's path without {@code .safetensors}, else the model's name in the working directory. */
    public static Path stemOf(Path checkpoint, String modelName) {
        if (checkpoint == null) return Path.of(modelName);
        String file = checkpoint.getFileName().toString();
        return checkpoint.resolveSibling(file.endsWith(".safetensors") ? file.substring(0, file.length() - ".safetensors".length()) : file);
    }
}
