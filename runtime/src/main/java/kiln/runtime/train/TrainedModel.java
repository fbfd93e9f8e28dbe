package kiln.runtime.train;

import java.util.Objects;
import kiln.runtime.CompiledModel;
import kiln.runtime.optim.Optimizer;

/**
 * A model a run trains, with the optimizer that updates it. In a run of several models the
 * checkpoint keeps each one's tensors under its {@code name} ({@code generator/fc1.weight}, its
 * optimizer's state under {@code optim/generator/...}) and the log reports its figures as
 * {@code generator/loss}; a run of one model keeps the model's own tensor names, as PyTorch's
 * {@code state_dict} has them, and plain figure names.
 */
public record TrainedModel(String name, CompiledModel model, Optimizer optimizer) {
    public TrainedModel {
        Objects.requireNonNull(model, "model");
        Objects.requireNonNull(optimizer, "optimizer");
        if (name == null || !name.matches("[\\w.-]+")) {
            throw new IllegalArgumentException("a trained model's name is letters, digits, '_', '.' or '-' (it prefixes its tensors' names), got '"
                    + name + "'");
        }
    }
}
