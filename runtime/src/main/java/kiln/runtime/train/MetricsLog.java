package kiln.runtime.train;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Locale;
import kiln.runtime.io.AtomicFiles;

/**
 * Writes a run's {@link TrainingHistory} to a file after every epoch, whole and atomically, so the
 * file always matches the checkpoint beside it: JSON lines when the name ends in {@code .jsonl} or
 * {@code .json}, CSV otherwise.
 */
public final class MetricsLog {
    private MetricsLog() {}

    public static void write(Path file, TrainingHistory history) throws IOException {
        String name = file.getFileName().toString().toLowerCase(Locale.ROOT);
        String text = name.endsWith(".jsonl") || name.endsWith(".json") ? history.toJsonLines() : history.toCsv();
        try {
            AtomicFiles.write(file, out -> out.write(text.getBytes(StandardCharsets.UTF_8)));
        } catch (IOException e) {
            throw new IOException(file + ": cannot write the metrics log: " + e.getMessage(), e);
        }
    }

    /** {@code dir/run.safetensors} with suffix {@code ".metrics.csv"} gives {@code dir/run.metrics.csv}. */
    public static Path sibling(Path file, String suffix) {
        String name = file.getFileName().toString();
        int dot = name.lastIndexOf('.');
        String stem = dot > 0 ? name.substring(0, dot) : name;
        return file.resolveSibling(stem + suffix);
    }
}
