package kiln.runtime.train;

import java.io.IOException;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;
import kiln.runtime.CompiledModel;
import kiln.runtime.Param;
import kiln.runtime.io.SafeTensors;
import kiln.runtime.optim.Optimizer;

/**
 * A training run saved to one safetensors file: every parameter under its own name (e.g.
 * {@code "h1.weight"}, so PyTorch can read the weights), every optimizer state tensor under
 * {@code "optim/<key>"}, and the {@link TrainingState}, model name, optimizer and learning rate
 * as string metadata.
 */
public final class Checkpoint {
    public static final String FORMAT = "kiln-checkpoint-1";
    /** Prefix of optimizer state tensors, keeping them apart from parameter names. */
    public static final String OPTIMIZER_PREFIX = "optim/";

    private Checkpoint() {}

    /** Writes atomically: if saving fails or the process dies, the previous checkpoint stays. */
    public static void save(Path file, CompiledModel model, Optimizer optimizer, TrainingState state) throws IOException {
        Map<String, SafeTensors.Tensor> tensors = new LinkedHashMap<>();
        for (Param p : model.params()) tensors.put(p.name, new SafeTensors.Tensor(p.shape(), p.value));
        for (Map.Entry<String, float[]> e : optimizer.state().entrySet()) {
            float[] data = e.getValue();
            tensors.put(OPTIMIZER_PREFIX + e.getKey(), new SafeTensors.Tensor(new int[] {data.length}, data));
        }
        Map<String, String> meta = new LinkedHashMap<>();
        meta.put("format", FORMAT);
        meta.put("model", model.name());
        meta.put("epoch", Integer.toString(state.epoch()));
        meta.put("step", Long.toString(state.step()));
        meta.put("seed", Long.toString(state.seed()));
        meta.put("optimizer", optimizer.describe());
        meta.put("optimizer_steps", Long.toString(optimizer.steps()));
        meta.put("learning_rate", Double.toString(optimizer.learningRate()));
        try {
            SafeTensors.write(file, tensors, meta);
        } catch (IOException e) {
            throw new IOException(file + ": cannot save checkpoint: " + reason(e), e);
        }
    }

    /** The JDK's file-system exceptions carry only a path as their message; say what went wrong. */
    private static String reason(IOException e) {
        if (e instanceof java.nio.file.NoSuchFileException) return "no such file or directory " + e.getMessage();
        if (e instanceof java.nio.file.AccessDeniedException) return "permission denied on " + e.getMessage();
        if (e instanceof java.nio.file.FileSystemException f && f.getReason() != null) return f.getReason() + ": " + f.getFile();
        return e.getMessage() != null ? e.getMessage() : e.toString();
    }

    /**
     * Restores parameters, optimizer state and learning rate from {@code file} and returns where
     * training stood. Everything is checked before anything changes, so on an exception the model
     * and optimizer are as they were. The exception's message is one line starting with the file.
     */
    public static TrainingState load(Path file, CompiledModel model, Optimizer optimizer) throws IOException {
        SafeTensors.Contents contents = SafeTensors.read(file);
        Map<String, String> meta = contents.metadata();
        if (!FORMAT.equals(meta.get("format"))) {
            throw new IOException(file + ": not a Kiln checkpoint (metadata format is " + meta.get("format") + ", expected " + FORMAT + ")");
        }
        if (!model.name().equals(meta.get("model"))) {
            throw new IOException(file + ": saved from model " + meta.get("model") + ", not " + model.name());
        }
        TrainingState state = new TrainingState(
                (int) number(file, meta, "epoch", Integer.MAX_VALUE), number(file, meta, "step", Long.MAX_VALUE), seed(file, meta));
        long optimizerSteps = number(file, meta, "optimizer_steps", Long.MAX_VALUE);
        double lr = learningRate(file, meta);

        Map<String, SafeTensors.Tensor> tensors = contents.tensors();
        for (Param p : model.params()) {
            SafeTensors.Tensor t = tensors.get(p.name);
            if (t == null) throw new IOException(file + ": has no tensor for parameter " + p.name + " of " + model.name());
            if (!Arrays.equals(t.shape(), p.shape())) {
                throw new IOException(file + ": parameter " + p.name + " has shape " + Arrays.toString(t.shape())
                        + " but " + model.name() + " expects " + Arrays.toString(p.shape()));
            }
        }
        Map<String, float[]> optimizerState = new LinkedHashMap<>();
        for (Map.Entry<String, SafeTensors.Tensor> e : tensors.entrySet()) {
            String name = e.getKey();
            if (name.startsWith(OPTIMIZER_PREFIX)) {
                optimizerState.put(name.substring(OPTIMIZER_PREFIX.length()), e.getValue().data());
            } else if (!hasParam(model, name)) {
                throw new IOException(file + ": has tensor " + name + ", which " + model.name() + " does not have");
            }
        }
        try {
            optimizer.loadState(optimizerState, optimizerSteps); // checks everything before changing anything
        } catch (IllegalArgumentException e) {
            throw new IOException(file + ": optimizer state saved by " + meta.get("optimizer") + " does not fit "
                    + optimizer.describe() + ": " + e.getMessage(), e);
        }
        for (Param p : model.params()) System.arraycopy(tensors.get(p.name).data(), 0, p.value, 0, p.size());
        optimizer.setLearningRate(lr);
        return state;
    }

    private static boolean hasParam(CompiledModel model, String name) {
        for (Param p : model.params()) if (p.name.equals(name)) return true;
        return false;
    }

    private static long number(Path file, Map<String, String> meta, String key, long max) throws IOException {
        String text = meta.get(key);
        try {
            long v = Long.parseLong(text);
            if (v >= 0 && v <= max) return v;
        } catch (NumberFormatException e) {
            // reported below
        }
        throw new IOException(file + ": metadata " + key + " is " + (text == null ? "missing" : "'" + text + "'") + ", expected a count");
    }

    private static long seed(Path file, Map<String, String> meta) throws IOException {
        try {
            return Long.parseLong(meta.get("seed"));
        } catch (NumberFormatException e) {
            throw new IOException(file + ": metadata seed is " + meta.get("seed") + ", expected an integer");
        }
    }

    private static double learningRate(Path file, Map<String, String> meta) throws IOException {
        String text = meta.get("learning_rate");
        try {
            double lr = Double.parseDouble(text);
            if (lr > 0 && Double.isFinite(lr)) return lr;
        } catch (NumberFormatException | NullPointerException e) {
            // reported below
        }
        throw new IOException(file + ": metadata learning_rate is " + text + ", expected a number > 0");
    }
}
