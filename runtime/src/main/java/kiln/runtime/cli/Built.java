package kiln.runtime.cli;

import java.util.List;
import kiln.runtime.CompiledModel;
import kiln.runtime.optim.Optimizer;
import kiln.runtime.train.CustomTraining;
import kiln.runtime.train.TrainedModel;

/** The models a {@link Workload} built for one setting, each with its optimizer; a run with its own step also its {@link CustomTraining}. */
record Built(List<TrainedModel> models, CustomTraining custom) implements AutoCloseable {
    /** One generated model with its optimizer. */
    static Built of(CompiledModel model, Optimizer optimizer) {
        return new Built(List.of(new TrainedModel(model.name(), model, optimizer)), null);
    }

    /** The model of a run of one. */
    CompiledModel model() {
        return models.get(0).model();
    }

    Optimizer optimizer() {
        return models.get(0).optimizer();
    }

    long parameterCount() {
        return models.stream().mapToLong(m -> m.model().parameterCount()).sum();
    }

    @Override
    public void close() {
        for (TrainedModel m : models) m.model().close();
    }
}
