package kiln.runtime.optim;

import java.util.List;
import java.util.Locale;
import kiln.dsl.TrainingNames;
import kiln.runtime.CompiledModel;
import kiln.runtime.Param;

/** Builds an optimizer from its name, as written in a training config or on the command line. */
public final class Optimizers {
    /** The accepted names, in the order error messages list them (shared with the processor). */
    public static final List<String> NAMES = TrainingNames.OPTIMIZERS;

    // PyTorch's customary defaults for the presets.
    private static final double MOMENTUM = 0.9;
    private static final double ADAM_BETA1 = 0.9;
    private static final double ADAM_BETA2 = 0.999;
    private static final double ADAM_EPS = 1e-8;

    private Optimizers() {}

    /** {@link #create(String, List, double, double)} without weight decay. */
    public static Optimizer create(String name, List<Param> params, double lr) {
        return create(name, params, lr, 0);
    }

    /**
     * "sgd" (plain), "momentum" (SGD, momentum 0.9), "nesterov" (SGD, Nesterov momentum 0.9),
     * "adam" (betas 0.9, 0.999, eps 1e-8, L2 weight decay), "adamw" (the same with decoupled weight
     * decay), "rmsprop" (alpha 0.99, eps 1e-8, no momentum, not centered) or "adagrad" (eps 1e-10,
     * no lr decay, accumulator starting at 0); case and surrounding blanks are ignored.
     */
    public static Optimizer create(String name, List<Param> params, double lr, double weightDecay) {
        // Validate the name first, so an unknown one is reported as such whatever the numbers.
        key(name);
        return forGroups(name, ParamGroup.single(params, weightDecay), lr);
    }

    /**
     * The optimizer a training command line builds for {@code model}: its trainable parameters,
     * grouped by what each declares ({@link ParamGroup#declared}), at rate {@code lr} with
     * {@code weightDecay} where a parameter declares none ({@code noBiasDecay}: none on biases).
     */
    public static Optimizer forModel(String name, CompiledModel model, double lr, double weightDecay, boolean noBiasDecay) {
        key(name);
        try {
            return forGroups(name, ParamGroup.declared(model.params(), weightDecay, noBiasDecay), lr);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(model.name() + ": " + e.getMessage(), e);
        }
    }

    /** As {@link #create(String, List, double, double)}, with per-group weight decay and lr multipliers. */
    public static Optimizer forGroups(String name, List<ParamGroup> groups, double lr) {
        return switch (key(name)) {
            case "sgd" -> new Sgd(groups, lr, 0, false);
            case "momentum" -> new Sgd(groups, lr, MOMENTUM, false);
            case "nesterov" -> new Sgd(groups, lr, MOMENTUM, true);
            case "adam" -> new Adam(groups, lr, ADAM_BETA1, ADAM_BETA2, ADAM_EPS);
            case "adamw" -> new AdamW(groups, lr, ADAM_BETA1, ADAM_BETA2, ADAM_EPS);
            case "rmsprop" -> new RmsProp(groups, lr, RmsProp.DEFAULT_ALPHA, RmsProp.DEFAULT_EPS, 0, false);
            case "adagrad" -> new Adagrad(groups, lr, 0, 0, Adagrad.DEFAULT_EPS);
            default -> throw new AssertionError();
        };
    }

    private static String key(String name) {
        String key = name == null ? "" : name.strip().toLowerCase(Locale.ROOT);
        if (!NAMES.contains(key)) {
            throw new IllegalArgumentException("unknown optimizer '" + name + "'; valid names: " + String.join(", ", NAMES));
        }
        return key;
    }
}
