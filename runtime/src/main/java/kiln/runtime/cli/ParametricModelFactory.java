package kiln.runtime.cli;

import java.util.LinkedHashMap;
import java.util.Map;
import kiln.runtime.CompiledModel;

/**
 * Builds a model whose sizes (hidden units, say) are chosen at run time: what a model compiled in
 * process from the fluent DSL can offer, so that {@code --search} tries its sizes along with the
 * training hyperparameters. Annotated models have fixed sizes and use {@link ModelFactory}.
 *
 * <p>Sizes are named, e.g. {@code "hidden"}; a checkpoint records the sizes it was trained with,
 * so {@code --resume}, {@code --eval} and {@code --predict} rebuild the same model.
 */
public interface ParametricModelFactory {
    /** The model with these sizes (one entry per name of {@link #sizeChoices()}), for the given batch and threads. */
    CompiledModel create(Map<String, Integer> sizes, int maxBatch, int threads);

    /** Each size's candidates for a search, in order; the first is the default. */
    Map<String, int[]> sizeChoices();

    /** The first choice of every size. */
    default Map<String, Integer> defaultSizes() {
        Map<String, Integer> sizes = new LinkedHashMap<>();
        sizeChoices().forEach((name, choices) -> sizes.put(name, choices[0]));
        return sizes;
    }

    /** A fixed-size model as a factory without sizes. */
    static ParametricModelFactory of(ModelFactory fixed) {
        return new ParametricModelFactory() {
            @Override
            public CompiledModel create(Map<String, Integer> sizes, int maxBatch, int threads) {
                return fixed.create(maxBatch, threads);
            }

            @Override
            public Map<String, int[]> sizeChoices() {
                return Map.of();
            }
        };
    }
}
