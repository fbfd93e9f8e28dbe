package kiln.runtime.train;

import java.io.IOException;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import kiln.runtime.CompiledModel;
import kiln.runtime.io.SafeTensors;
import kiln.runtime.optim.Optimizer;

/**
 * A training run saved to one safetensors file: every parameter and state buffer of its models,
 * every optimizer's state, and where training stood.
 *
 * <p>A run of one model keeps the model's own names (e.g. {@code "h1.weight"},
 * {@code "bn1.running_mean"}, so PyTorch can read the weights), its optimizer's state tensors under
 * {@code "optim/<key>"}, and as string metadata the {@link TrainingState}, the model's name, the
 * optimizer, its learning rate and step count, and the model's random stream
 * ({@value #RANDOM_STATE}). A run of several models puts each model's name in front:
 * {@code "generator/fc1.weight"}, {@code "optim/generator/fc1.weight.adam_m"},
 * {@code "generator/learning_rate"}, and lists the models under {@code "models"}. The trainer adds
 * its own metadata (schedule, early stopping, history, where in an epoch it stood), with early
 * stopping the best weights so far under {@code "best/<name>"}, and within an epoch of a text the
 * recurrent state carried between chunks under {@code "carried/<k>"}.
 */
public final class Checkpoint {
    public static final String FORMAT = "kiln-checkpoint-1";
    /** Prefix of optimizer state tensors, keeping them apart from parameter names. */
    public static final String OPTIMIZER_PREFIX = "optim/";
    /** Prefix of the best weights so far (early stopping), kept apart from the current ones. */
    public static final String BEST_PREFIX = "best/";
    /** Prefix of the recurrent state carried between the chunks of a text, saved within an epoch. */
    public static final String CARRIED_PREFIX = "carried/";
    /** Metadata key of a model's random stream ({@link CompiledModel#randomState()}). */
    public static final String RANDOM_STATE = "random_state";

    /**
     * A checkpoint read back for resuming: where training stood, all of its metadata (the trainer's
     * own entries included), the best weights by tensor name (empty when it holds none) and the
     * carried recurrent state by index (empty unless saved within an epoch of a text).
     */
    public record Restored(TrainingState state, Map<String, String> metadata, Map<String, float[]> bestWeights, Map<String, float[]> carried) {
        /** A copy with one metadata entry replaced, e.g. a new base learning rate. */
        public Restored withMetadata(String key, String value) {
            Map<String, String> m = new LinkedHashMap<>(metadata);
            m.put(key, value);
            return new Restored(state, Collections.unmodifiableMap(m), bestWeights, carried);
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
        save(file, List.of(new TrainedModel(model.name(), model, optimizer)), state, extraMetadata, bestWeights, Map.of());
    }

    /** Saves a run of one or more models, with {@code carried} recurrent state under {@code "carried/<k>"}. */
    public static void save(Path file, List<TrainedModel> models, TrainingState state, Map<String, String> extraMetadata,
            Map<String, float[]> bestWeights, Map<String, float[]> carried) throws IOException {
        RunModels run = new RunModels(models);
        Map<String, SafeTensors.Tensor> tensors = new LinkedHashMap<>();
        for (int i = 0; i < run.tensors.length; i++) tensors.put(run.tensorNames[i], new SafeTensors.Tensor(run.tensors[i].shape(), run.tensors[i].value));
        for (int k = 0; k < run.size(); k++) {
            for (Map.Entry<String, float[]> e : run.optimizer(k).state().entrySet()) {
                float[] data = e.getValue();
                tensors.put(OPTIMIZER_PREFIX + run.prefix(k) + e.getKey(), new SafeTensors.Tensor(new int[] {data.length}, data));
            }
        }
        for (int i = 0; i < run.tensors.length; i++) {
            float[] best = bestWeights.get(run.tensorNames[i]);
            if (best != null) tensors.put(BEST_PREFIX + run.tensorNames[i], new SafeTensors.Tensor(run.tensors[i].shape(), best));
        }
        for (Map.Entry<String, float[]> e : carried.entrySet()) {
            tensors.put(CARRIED_PREFIX + e.getKey(), new SafeTensors.Tensor(new int[] {e.getValue().length}, e.getValue()));
        }
        Map<String, String> meta = new LinkedHashMap<>();
        meta.put("format", FORMAT);
        if (run.prefixed) meta.put("models", modelsEntry(run));
        else meta.put("model", run.model(0).name());
        meta.put("epoch", Integer.toString(state.epoch()));
        meta.put("step", Long.toString(state.step()));
        meta.put("seed", Long.toString(state.seed()));
        for (int k = 0; k < run.size(); k++) {
            Optimizer optimizer = run.optimizer(k);
            meta.put(run.prefix(k) + "optimizer", optimizer.describe());
            meta.put(run.prefix(k) + "optimizer_steps", Long.toString(optimizer.steps()));
            meta.put(run.prefix(k) + "learning_rate", Double.toString(optimizer.learningRate()));
            meta.put(run.prefix(k) + RANDOM_STATE, Long.toString(run.model(k).randomState()));
        }
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

    /** {@code generator=GanGenerator,discriminator=GanDiscriminator}: each model's name in the run and its class's. */
    private static String modelsEntry(RunModels run) {
        StringBuilder b = new StringBuilder();
        for (int k = 0; k < run.size(); k++) b.append(k == 0 ? "" : ",").append(run.name(k)).append('=').append(run.model(k).name());
        return b.toString();
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
        return restore(file, List.of(new TrainedModel(model.name(), model, optimizer)));
    }

    /**
     * Restores a run of one or more models: every model's tensors and random stream, every
     * optimizer's state, learning rate and step count. Checks everything first; on an exception
     * nothing has changed.
     */
    public static Restored restore(Path file, List<TrainedModel> models) throws IOException {
        RunModels run = new RunModels(models);
        SafeTensors.Contents contents = SafeTensors.read(file);
        Map<String, String> meta = contents.metadata();
        checkIdentity(file, meta, run);
        TrainingState state = new TrainingState(
                (int) number(file, meta, "epoch", Integer.MAX_VALUE), number(file, meta, "step", Long.MAX_VALUE), integer(file, meta, "seed"));
        long[] optimizerSteps = new long[run.size()];
        double[] rates = new double[run.size()];
        Long[] randomStates = new Long[run.size()];
        for (int k = 0; k < run.size(); k++) {
            optimizerSteps[k] = number(file, meta, run.prefix(k) + "optimizer_steps", Long.MAX_VALUE);
            rates[k] = learningRate(file, meta, run.prefix(k) + "learning_rate");
            if (meta.containsKey(run.prefix(k) + RANDOM_STATE)) randomStates[k] = integer(file, meta, run.prefix(k) + RANDOM_STATE);
        }

        Map<String, SafeTensors.Tensor> tensors = contents.tensors();
        for (int i = 0; i < run.tensors.length; i++) {
            SafeTensors.Tensor t = tensors.get(run.tensorNames[i]);
            if (t == null) throw new IOException(file + ": has no tensor for parameter " + run.tensorNames[i] + " of " + ownerOf(run, i));
            checkShape(file, run, i, t);
        }
        List<Map<String, float[]>> optimizerStates = new java.util.ArrayList<>();
        for (int k = 0; k < run.size(); k++) optimizerStates.add(new LinkedHashMap<>());
        Map<String, float[]> best = new LinkedHashMap<>(), carried = new LinkedHashMap<>();
        for (Map.Entry<String, SafeTensors.Tensor> e : tensors.entrySet()) {
            String name = e.getKey();
            if (name.startsWith(OPTIMIZER_PREFIX)) {
                String key = name.substring(OPTIMIZER_PREFIX.length());
                int k = memberOf(run, key);
                if (k < 0) throw new IOException(file + ": has optimizer state " + name + ", which belongs to none of the models " + run);
                optimizerStates.get(k).put(key.substring(run.prefix(k).length()), e.getValue().data());
            } else if (name.startsWith(BEST_PREFIX)) {
                int i = tensorIndex(run, name.substring(BEST_PREFIX.length()));
                if (i < 0) throw new IOException(file + ": has tensor " + name + ", which " + run.model(0).name() + " does not have");
                checkShape(file, run, i, e.getValue());
                best.put(run.tensorNames[i], e.getValue().data());
            } else if (name.startsWith(CARRIED_PREFIX)) {
                carried.put(name.substring(CARRIED_PREFIX.length()), e.getValue().data());
            } else if (tensorIndex(run, name) < 0) {
                throw new IOException(file + ": has tensor " + name + ", which " + (run.prefixed ? "none of the models " + run : run.model(0).name())
                        + " does not have");
            }
        }
        loadOptimizers(file, meta, run, optimizerStates, optimizerSteps);
        for (int i = 0; i < run.tensors.length; i++) System.arraycopy(tensors.get(run.tensorNames[i]).data(), 0, run.tensors[i].value, 0, run.tensors[i].size());
        for (int k = 0; k < run.size(); k++) {
            run.optimizer(k).setLearningRate(rates[k]);
            if (randomStates[k] != null) run.model(k).setRandomState(randomStates[k]);
        }
        return new Restored(state, meta, Collections.unmodifiableMap(best), Collections.unmodifiableMap(carried));
    }

    /** Loads every optimizer's state, or none: a later one that does not fit puts the earlier ones back. */
    private static void loadOptimizers(Path file, Map<String, String> meta, RunModels run, List<Map<String, float[]>> states, long[] steps)
            throws IOException {
        Map<String, float[]>[] before = new Map[run.size()];
        long[] stepsBefore = new long[run.size()];
        for (int k = 0; k < run.size(); k++) {
            Optimizer optimizer = run.optimizer(k);
            before[k] = optimizer.state();
            stepsBefore[k] = optimizer.steps();
            try {
                optimizer.loadState(states.get(k), steps[k]); // checks everything before changing anything
            } catch (IllegalArgumentException e) {
                for (int j = 0; j < k; j++) run.optimizer(j).loadState(before[j], stepsBefore[j]);
                throw new IOException(file + ": optimizer state saved by " + meta.get(run.prefix(k) + "optimizer") + " does not fit "
                        + optimizer.describe() + (run.prefixed ? " of " + run.name(k) : "") + ": " + e.getMessage(), e);
            }
        }
    }

    /**
     * Loads only the weights, for evaluation and prediction: the best weights when the checkpoint
     * holds them (a run with early stopping), else the current ones; optimizer state is ignored.
     * Checks everything before changing anything. Returns the metadata (seed, model sizes, ...).
     */
    public static Map<String, String> loadWeights(Path file, CompiledModel model) throws IOException {
        return loadWeights(file, RunModels.weightsOf(model));
    }

    /** As {@link #loadWeights(Path, CompiledModel)} for the models of a run; their optimizers are left alone. */
    public static Map<String, String> loadWeights(Path file, List<TrainedModel> models) throws IOException {
        return loadWeights(file, new RunModels(models));
    }

    private static Map<String, String> loadWeights(Path file, RunModels run) throws IOException {
        SafeTensors.Contents contents = SafeTensors.read(file);
        Map<String, String> meta = contents.metadata();
        checkIdentity(file, meta, run);
        Map<String, SafeTensors.Tensor> tensors = contents.tensors();
        String prefix = tensors.keySet().stream().anyMatch(k -> k.startsWith(BEST_PREFIX)) ? BEST_PREFIX : "";
        float[][] weights = new float[run.tensors.length][];
        for (int i = 0; i < run.tensors.length; i++) {
            SafeTensors.Tensor t = tensors.get(prefix + run.tensorNames[i]);
            if (t == null) throw new IOException(file + ": has no tensor for parameter " + prefix + run.tensorNames[i] + " of " + ownerOf(run, i));
            checkShape(file, run, i, t);
            weights[i] = t.data();
        }
        for (int i = 0; i < run.tensors.length; i++) System.arraycopy(weights[i], 0, run.tensors[i].value, 0, run.tensors[i].size());
        return meta;
    }

    /** Throws unless the file is a Kiln checkpoint saved from these models. */
    private static void checkIdentity(Path file, Map<String, String> meta, RunModels run) throws IOException {
        if (!FORMAT.equals(meta.get("format"))) {
            throw new IOException(file + ": not a Kiln checkpoint (metadata format is " + meta.get("format") + ", expected " + FORMAT + ")");
        }
        String saved = meta.containsKey("models") ? meta.get("models") : meta.get("model");
        String expected = run.prefixed ? modelsEntry(run) : run.model(0).name();
        if (!expected.equals(saved)) {
            throw new IOException(file + ": saved from " + (meta.containsKey("models") ? "models " : "model ") + saved + ", not " + expected);
        }
    }

    private static void checkShape(Path file, RunModels run, int i, SafeTensors.Tensor t) throws IOException {
        if (!Arrays.equals(t.shape(), run.tensors[i].shape())) {
            throw new IOException(file + ": parameter " + run.tensorNames[i] + " has shape " + Arrays.toString(t.shape())
                    + " but " + ownerOf(run, i) + " expects " + Arrays.toString(run.tensors[i].shape()));
        }
    }

    /** The model tensor {@code i} belongs to, by its class's name. */
    private static String ownerOf(RunModels run, int i) {
        if (!run.prefixed) return run.model(0).name();
        for (int k = 0; k < run.size(); k++) if (run.tensorNames[i].startsWith(run.prefix(k))) return run.model(k).name();
        return run.toString();
    }

    private static int tensorIndex(RunModels run, String name) {
        for (int i = 0; i < run.tensorNames.length; i++) if (run.tensorNames[i].equals(name)) return i;
        return -1;
    }

    /** The model whose prefix {@code key} starts with (the only one in a run of one model), or -1. */
    private static int memberOf(RunModels run, String key) {
        if (!run.prefixed) return 0;
        for (int k = 0; k < run.size(); k++) if (key.startsWith(run.prefix(k))) return k;
        return -1;
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

    private static long integer(Path file, Map<String, String> meta, String key) throws IOException {
        try {
            return Long.parseLong(meta.get(key));
        } catch (NumberFormatException e) {
            throw new IOException(file + ": metadata " + key + " is " + meta.get(key) + ", expected an integer");
        }
    }

    private static double learningRate(Path file, Map<String, String> meta, String key) throws IOException {
        String text = meta.get(key);
        try {
            double lr = Double.parseDouble(text);
            if (lr >= 0 && Double.isFinite(lr)) return lr; // 0 where a schedule (cosine to 0) ended
        } catch (NumberFormatException | NullPointerException e) {
            // reported below
        }
        throw new IOException(file + ": metadata " + key + " is " + text + ", expected a number >= 0");
    }
}
