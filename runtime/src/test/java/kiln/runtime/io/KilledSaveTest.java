package kiln.runtime.io;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Random;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import kiln.runtime.Param;
import kiln.runtime.optim.Optimizer;
import kiln.runtime.optim.Optimizers;
import kiln.runtime.train.Checkpoint;
import kiln.runtime.train.SoftmaxRegression;
import kiln.runtime.train.TrainingState;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A real kill: a child JVM saves 16 MB checkpoints back to back and is killed with SIGKILL
 * ({@link Process#destroyForcibly}) at a random moment, several times over. Each time the file
 * must load and be one complete earlier checkpoint: the last one the child reported, or one it
 * finished but had not reported yet. Temporary files of killed writers are cleaned up by the next
 * writer.
 */
class KilledSaveTest {
    private static final int INPUTS = 250_000; // weight [8, 250,000] and its momentum: 16 MB of tensors
    private static final int ROUNDS = 5;

    @TempDir
    Path dir;

    @Test
    void aKillDuringSaveLeavesTheLastCompleteCheckpoint() throws Exception {
        Path file = dir.resolve("big.safetensors");
        Random random = new Random(12345);
        int generation = 1;
        for (int round = 0; round < ROUNDS; round++) {
            Path stderr = dir.resolve("child" + round + ".err");
            Process child = start(file, generation, stderr);
            BlockingQueue<String> lines = new LinkedBlockingQueue<>();
            Thread reader = Thread.ofVirtual().start(() -> {
                try (BufferedReader in = new BufferedReader(new InputStreamReader(child.getInputStream(), StandardCharsets.UTF_8))) {
                    for (String line; (line = in.readLine()) != null; ) lines.add(line);
                } catch (java.io.IOException e) {
                    // the child was killed
                }
            });
            // Wait for the child's first save, so that it is in its save loop, then kill it at a random moment.
            String line = null;
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
            while (line == null || !line.startsWith("saved")) {
                line = lines.poll(200, TimeUnit.MILLISECONDS);
                if (line == null && (!child.isAlive() || System.nanoTime() > deadline)) {
                    child.destroyForcibly();
                    throw new AssertionError("the child did not save: " + Files.readString(stderr));
                }
            }
            Thread.sleep(random.nextInt(400));
            child.destroyForcibly();
            assertTrue(child.waitFor(30, TimeUnit.SECONDS));
            reader.join(10_000);
            int reported = Integer.parseInt(line.substring("saved ".length()));
            for (String l : lines) if (l.startsWith("saved ")) reported = Math.max(reported, Integer.parseInt(l.substring(6)));

            int saved = assertCompleteCheckpoint(file);
            assertTrue(saved == reported || saved == reported + 1,
                    "round " + round + ": the file holds generation " + saved + " but the child last reported " + reported);
            try (Stream<Path> files = Files.list(dir)) {
                List<Path> temporaries = files.filter(p -> p.getFileName().toString().endsWith(".tmp")).toList();
                // At most the file the last child was writing when killed; the next save removes it.
                assertTrue(temporaries.size() <= 1, "temporary files of earlier kills were not cleaned up: " + temporaries);
            }
            generation = saved + 1;
        }
    }

    /** Loads {@code file} as a checkpoint and checks it is one whole generation; returns which. */
    private static int assertCompleteCheckpoint(Path file) throws Exception {
        try (SoftmaxRegression model = new SoftmaxRegression(1, INPUTS, 8)) {
            Optimizer momentum = Optimizers.create("momentum", model.params(), 0.1);
            TrainingState state = Checkpoint.load(file, model, momentum);
            int g = state.epoch();
            assertEquals(g, state.step());
            assertEquals(g, momentum.steps());
            for (Param p : model.params()) {
                for (int i = 0; i < p.size(); i++) {
                    if (p.value[i] != g) throw new AssertionError(p.name + "[" + i + "] = " + p.value[i] + " in generation " + g);
                }
            }
            for (float[] buffer : momentum.state().values()) {
                for (float v : buffer) if (v != buffer[0]) throw new AssertionError("momentum buffer is not uniform in generation " + g);
            }
            return g;
        }
    }

    private static Process start(Path file, int generation, Path stderr) throws Exception {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        String classPath = System.getProperty("surefire.test.class.path", System.getProperty("java.class.path"));
        return new ProcessBuilder(java, "--add-modules", "jdk.incubator.vector", "-Xmx1g", "-cp", classPath,
                CheckpointWriterProcess.class.getName(), file.toString(), Integer.toString(generation), Integer.toString(INPUTS))
                .redirectError(stderr.toFile())
                .start();
    }
}
