package kiln.runtime.cli;

import kiln.runtime.CompiledModel;

/** Builds the model to train, sized for the run's batch and thread count (usually a generated constructor). */
@FunctionalInterface
public interface ModelFactory {
    CompiledModel create(int maxBatch, int threads);
}
