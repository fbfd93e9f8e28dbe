package kiln.runtime.train;

import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import kiln.runtime.CompiledModel;
import kiln.runtime.Param;
import kiln.runtime.optim.Optimizer;

/**
 * The models of one run and the names their tensors and figures go by: bare for a run of one
 * model, {@code <name>/<tensor>} and {@code <name>/<figure>} for several. Everything is resolved
 * once, so a step looks models and optimizers up by identity in small arrays and allocates nothing.
 */
final class RunModels {
    /** The models in run order; a run built for its weights only ({@link #weightsOf}) has no optimizers. */
    final List<TrainedModel> list;
    private final String[] names;
    private final CompiledModel[] models;
    private final Optimizer[] optimizers;
    /** Whether names carry the model's name (a run of several models). */
    final boolean prefixed;
    /** Every parameter and state buffer of every model, and its name in a checkpoint, in model order. */
    final Param[] tensors;
    final String[] tensorNames;
    /** Every parameter of every model (no buffers), and its qualified name: where a broken value is looked for. */
    final Param[] params;
    final String[] paramNames;
    /** Per model: the parameters its optimizer updates, and their qualified names. */
    final Param[][] optimized;
    final String[][] optimizedNames;

    RunModels(List<TrainedModel> models) {
        this(models, models.stream().map(TrainedModel::name).toList(), models.stream().map(TrainedModel::model).toList(),
                models.stream().map(TrainedModel::optimizer).toList());
    }

    /** One model without an optimizer: for loading its weights. */
    static RunModels weightsOf(CompiledModel model) {
        return new RunModels(List.of(), List.of(model.name()), List.of(model), java.util.Arrays.asList((Optimizer) null));
    }

    private RunModels(List<TrainedModel> list, List<String> names, List<CompiledModel> models, List<Optimizer> optimizers) {
        if (models.isEmpty()) throw new IllegalArgumentException("a run needs at least one model");
        this.list = List.copyOf(list);
        this.names = names.toArray(new String[0]);
        this.models = models.toArray(new CompiledModel[0]);
        this.optimizers = optimizers.toArray(new Optimizer[0]);
        this.prefixed = models.size() > 1;
        Set<String> distinct = new LinkedHashSet<>();
        IdentityHashMap<Object, String> seen = new IdentityHashMap<>();
        for (int k = 0; k < this.models.length; k++) {
            String name = this.names[k];
            if (!distinct.add(name)) throw new IllegalArgumentException("two of the run's models are named '" + name + "'");
            if (seen.put(this.models[k], name) != null) throw new IllegalArgumentException(name + ": its model is also " + seen.get(this.models[k]) + "'s");
            if (this.optimizers[k] != null && seen.put(this.optimizers[k], name) != null) {
                throw new IllegalArgumentException(name + ": its optimizer is also " + seen.get(this.optimizers[k]) + "'s; give each model its own");
            }
        }
        List<Param> all = new ArrayList<>(), weights = new ArrayList<>();
        List<String> allNames = new ArrayList<>(), weightNames = new ArrayList<>();
        optimized = new Param[models.size()][];
        optimizedNames = new String[models.size()][];
        for (int k = 0; k < models.size(); k++) {
            CompiledModel model = this.models[k];
            for (Param p : model.params()) {
                all.add(p);
                allNames.add(prefix(k) + p.name);
                weights.add(p);
                weightNames.add(prefix(k) + p.name);
            }
            for (Param b : model.buffers()) {
                all.add(b);
                allNames.add(prefix(k) + b.name);
            }
            optimized[k] = this.optimizers[k] == null ? new Param[0] : this.optimizers[k].params().toArray(new Param[0]);
            optimizedNames[k] = new String[optimized[k].length];
            for (int i = 0; i < optimized[k].length; i++) optimizedNames[k][i] = prefix(k) + optimized[k][i].name;
        }
        tensors = all.toArray(new Param[0]);
        tensorNames = allNames.toArray(new String[0]);
        params = weights.toArray(new Param[0]);
        paramNames = weightNames.toArray(new String[0]);
    }

    int size() {
        return models.length;
    }

    String name(int k) {
        return names[k];
    }

    CompiledModel model(int k) {
        return models[k];
    }

    Optimizer optimizer(int k) {
        return optimizers[k];
    }

    /** What model {@code k}'s tensor and figure names start with: its name and a slash in a run of several, else nothing. */
    String prefix(int k) {
        return prefixed ? names[k] + "/" : "";
    }

    /** The position of {@code model} in the run, or -1; by identity, allocating nothing. */
    int indexOf(CompiledModel model) {
        for (int k = 0; k < models.length; k++) if (models[k] == model) return k;
        return -1;
    }

    /** The position of {@code optimizer} in the run, or -1; by identity, allocating nothing. */
    int indexOf(Optimizer optimizer) {
        for (int k = 0; k < optimizers.length; k++) if (optimizers[k] == optimizer) return k;
        return -1;
    }

    /** Initialises every model's parameters: the first from {@code seed}, as a run of one model would; the others from seeds derived from it. */
    void initParams(long seed) {
        for (int k = 0; k < models.length; k++) models[k].initParams(k == 0 ? seed : seed + k * 0x9E3779B97F4A7C15L);
    }

    /** For messages: the models' names. */
    @Override
    public String toString() {
        return java.util.Arrays.toString(names);
    }
}
