package kiln.runtime.optim;

import java.util.List;
import java.util.Locale;
import kiln.runtime.Param;

/** Builds an optimizer from its name, as written in a training config or on the command line. */
public final class Optimizers {
    /** The accepted names, in the order error messages list them. */
    public static final List<String> NAMES = List.of("sgd", "momentum", "nesterov", "adam");

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
     * "sgd" (plain), "momentum" (SGD, momentum 0.9), "nesterov" (SGD, Nesterov momentum 0.9) or
     * "adam" (betas 0.9, 0.999, eps 1e-8); case and surrounding blanks are ignored.
     */
    public static Optimizer create(String name, List<Param> params, double lr, double weightDecay) {
        String key = name == null ? "" : name.strip().toLowerCase(Locale.ROOT);
        return switch (key) {
            case "sgd" -> new Sgd(params, lr, 0, weightDecay, false);
            case "momentum" -> new Sgd(params, lr, MOMENTUM, weightDecay, false);
            case "nesterov" -> new Sgd(params, lr, MOMENTUM, weightDecay, true);
            case "adam" -> new Adam(params, lr, ADAM_BETA1, ADAM_BETA2, ADAM_EPS, weightDecay);
            default -> throw new IllegalArgumentException(
                    "unknown optimizer '" + name + "'; valid names: " + String.join(", ", NAMES));
        };
    }
}
