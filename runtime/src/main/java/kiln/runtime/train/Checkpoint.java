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
 * A training run saved to one safetensors file: every parameter and state buffer under its own
 * name (e.g. {@code "h1.weight"}, {@code "bn1.running_mean"}, so PyTorch can read the weights),
 * every optimizer state tensor under
 * {@code "optim/<key>"}, and the {@link TrainingState}, model name, optimizer and learning rate
 * as string metadata. The trainer adds its own metadata (schedule, early stopping, history, where
 * in an epoch it stood) and, with early stopping, the best weights so far under {@code "best/<name>"}.
 */
public final class Checkpoint {
    public static final String FORMAT = "kiln-checkpoint-1";
    /** Prefix of optimizer state tensors, keeping them apart from parameter names. */
    public static final String OPTIMIZER_PREFIX = "optim/";
    /** Prefix of the best weights so far (early stopping), kept apart from the current ones. */
    public static final String BEST_PREFIX = "best/";

    /**
     * A checkpoint read back for resuming: where training stood, all of its metadata (the trainer's
     * own entries included) and the best weights by tensor name (empty when it holds none).
     */
    public record Restored(TrainingState state, Map<String, String> metadata, Map<String, float[]> bestWeights) {
        /** A copy with one metadata entry replaced, e.g. a new base learning rate. */
        public Restored withMetadata(String key, String value) {
            Map<String, String> m = new LinkedHashMap<>(metadata);
            m.put(key, value);
            return new Restored(state, java.util.Collections.unmodifiableMap(m), bestWeights);
        }
    }

    private Checkpoint() {}

    /** Writes atomically: if saving fails or the process dies, the previous checkpoint stays. */
    public static void save(Path file, CompiledModel model, Optimizer optimizer, TrainingState state) throws IOException {
        save(file, model, optimizer, state, Map.of(), Map.of());
    }

    /**
     * As {@link #save(Path, CompiledModel, Optimizer, TrainingState)}, adding {@code extraMetadata}
     * (keys must not clash with the standard ones) and {@code bestWeights} under {@code "best/<name>"}.
     */
    public static void save(Path file, CompiledModel model, Optimizer optimizer, TrainingState state,
            Map<String, String> extraMetadata, Map<String, float[]> bestWeights) throws IOException {
        Map<String, SafeTensors.Tensor> tensors = new LinkedHashMap<>();
        for (Param p : tensorsOf(model)) tensors.put(p.name, new SafeTensors.Tensor(p.shape(), p.value));
        for (Map.Entry<String, float[]> e : optimizer.state().entrySet()) {
            float[] data = e.getValue();
            tensors.put(OPTIMIZER_PREFIX + e.getKey(), new SafeTensors.Tensor(new int[] {data.length}, data));
        }
        for (Param p : tensorsOf(model)) {
            float[] best = bestWeights.get(p.name);
            if (best != null) tensors.put(BEST_PREFIX + p.name, new SafeTensors.Tensor(p.shape(), best));
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
        for (Map.Entry<String, String> e : extraMetadata.entrySet()) {
            if (meta.putIfAbsent(e.getKey(), e.getValue()) != null) {
                throw new IllegalArgumentException("metadata key '" + e.getKey() + "' is the checkpoint's own");
            }
        }
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
        return restore(file, model, optimizer).state();
    }

    /** As {@link #load}, returning the metadata and best weights too, for a trainer that resumes. */
    public static Restored restore(Path file, CompiledModel model, Optimizer optimizer) throws IOException {
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
        for (Param p : tensorsOf(model)) {
            SafeTensors.Tensor t = tensors.get(p.name);
            if (t == null) throw new IOException(file + ": has no tensor for parameter " + p.name + " of " + model.name());
            if (!Arrays.equals(t.shape(), p.shape())) {
                throw new IOException(file + ": parameter " + p.name + " has shape " + Arrays.toString(t.shape())
                        + " but " + model.name() + " expects " + Arrays.toString(p.shape()));
            }
        }
        Map<String, float[]> optimizerState = new LinkedHashMap<>();
        Map<String, float[]> best = new LinkedHashMap<>();
        for (Map.Entry<String, SafeTensors.Tensor> e : tensors.entrySet()) {
            String name = e.getKey();
            if (name.startsWith(OPTIMIZER_PREFIX)) {
                optimizerState.put(name.substring(OPTIMIZER_PREFIX.length()), e.getValue().data());
            } else if (name.startsWith(BEST_PREFIX)) {
                best.put(name.substring(BEST_PREFIX.length()), checkedWeights(file, model, name.substring(BEST_PREFIX.length()), e.getValue()));
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
        for (Param p : tensorsOf(model)) System.arraycopy(tensors.get(p.name).data(), 0, p.value, 0, p.size());
        optimizer.setLearningRate(lr);
        return new Restored(state, meta, java.util.Collections.unmodifiableMap(best));
    }

    /**
     * Loads only the weights, for evaluation and prediction: the best weights when the checkpoint
     * holds them (a run with early stopping), else the current ones; optimizer state is ignored.
     * Checks everything before changing anything. Returns the metadata (seed, model sizes, ...).
     */
    public static Map<String, String> loadWeights(Path file, CompiledModel model) throws IOException {
        SafeTensors.Contents contents = SafeTensors.read(file);
        Map<String, String> meta = contents.metadata();
        if (!FORMAT.equals(meta.get("format"))) {
            throw new IOException(file + ": not a Kiln checkpoint (metadata format is " + meta.get("format") + ", expected " + FORMAT + ")");
        }
        if (!model.name().equals(meta.get("model"))) {
            throw new IOException(file + ": saved from model " + meta.get("model") + ", not " + model.name());
        }
        Map<String, SafeTensors.Tensor> tensors = contents.tensors();
        String prefix = tensors.keySet().stream().anyMatch(k -> k.startsWith(BEST_PREFIX)) ? BEST_PREFIX : "";
        Map<String, float[]> weights = new LinkedHashMap<>();
        for (Param p : tensorsOf(model)) {
            SafeTensors.Tensor t = tensors.get(prefix + p.name);
            if (t == null) throw new IOException(file + ": has no tensor for parameter " + prefix + p.name + " of " + model.name());
            weights.put(p.name, checkedWeights(file, model, p.name, t));
        }
        for (Param p : tensorsOf(model)) System.arraycopy(weights.get(p.name), 0, p.value, 0, p.size());
        return meta;
    }

    /** The data of tensor {@code t} saved for the model's tensor {@code name}, whose shape it must have. */
    private static float[] checkedWeights(Path file, CompiledModel model, String name, SafeTensors.Tensor t) throws IOException {
        for (Param p : tensorsOf(model)) {
            if (!p.name.equals(name)) continue;
            if (!Arrays.equals(t.shape(), p.shape())) {
                throw new IOException(file + ": parameter " + name + " has shape " + Arrays.toString(t.shape())
                        + " but " + model.name() + " expects " + Arrays.toString(p.shape()));
            }
            return t.data();
        }
        throw new IOException(file + ": has tensor " + name + ", which " + model.name() + " does not have");
    }

    private static boolean hasParam(CompiledModel model, String name) {
        for (Param p : tensorsOf(model)) if (p.name.equals(name)) return true;
        return false;
    }

    /** The parameters, then the state buffers (batch-norm running statistics): everything a checkpoint holds of the model. */
    private static java.util.List<Param> tensorsOf(CompiledModel model) {
        java.util.List<Param> all = new java.util.ArrayList<>(model.params());
        all.addAll(model.buffers());
        return all;
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
            if (lr >= 0 && Double.isFinite(lr)) return lr; // 0 where a schedule (cosine to 0) ended
        } catch (NumberFormatException | NullPointerException e) {
            // reported below
        }
        throw new IOException(file + ": metadata learning_rate is " + text + ", expected a number >= 0");
    }
}
