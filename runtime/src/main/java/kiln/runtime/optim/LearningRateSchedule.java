package kiln.runtime.optim;

import java.util.Map;
import kiln.dsl.ScheduleSpec;

/**
 * How the learning rate changes over a run. The trainer asks for the rate before every optimizer
 * step and reports the monitored validation figure after every epoch.
 *
 * <p>Time-based schedules ({@link StepDecay}, {@link ExponentialDecay}, {@link CosineAnnealing}) are
 * functions of the position in the run, so a resumed run gets the rates of an uninterrupted one
 * without saving anything; {@link ReduceOnPlateau} keeps state, which {@link #state()} exports for
 * checkpoints. A schedule object serves one run.
 */
public interface LearningRateSchedule {
    /**
     * The rate for the next step. {@code base} is the run's configured rate, {@code epoch} the
     * 0-based index of the epoch being trained (PyTorch's {@code last_epoch} when
     * {@code scheduler.step()} is called once per epoch), and {@code step} of {@code stepsPerEpoch}
     * (0-based) how far into it. Called every step, so it must not allocate.
     */
    double rate(double base, int epoch, int step, int stepsPerEpoch);

    /**
     * After each epoch: the monitored validation figure (say, its loss) and the rate the epoch ended
     * with. Only metric-driven schedules use them; returns true when the schedule changed the rate.
     */
    default boolean endEpoch(double metric, double rate) {
        return false;
    }

    /** Whether {@link #endEpoch} reads the monitored figure (a plateau schedule), so the run's validation must report it. */
    default boolean watchesMetric() {
        return false;
    }

    /** State for a checkpoint, as text that round-trips exactly; empty for time-based schedules. */
    default Map<String, String> state() {
        return Map.of();
    }

    /** Restores {@link #state()}; throws IllegalArgumentException naming the first bad entry. */
    default void loadState(Map<String, String> state) {}

    /** The rule and its settings, e.g. {@code "step(every=10, gamma=0.1)"}, for logs. */
    String describe();

    /**
     * The schedule a checked spec describes, or null for {@code none} (a constant rate). A plateau
     * without a declared mode follows the monitored figure: reduce when it stops falling, or, when
     * {@code higherIsBetter}, when it stops rising.
     */
    static LearningRateSchedule of(ScheduleSpec spec, boolean higherIsBetter) {
        return switch (spec.kind()) {
            case "none" -> null;
            case "step" -> new StepDecay((int) spec.value("every"), spec.value("gamma"));
            case "exp" -> new ExponentialDecay(spec.value("gamma"));
            case "cosine" -> new CosineAnnealing(spec.value("period"), spec.value("warmup"), spec.value("min"));
            case "plateau" -> new ReduceOnPlateau(
                    spec.mode() == null ? (higherIsBetter ? ReduceOnPlateau.Mode.MAX : ReduceOnPlateau.Mode.MIN)
                            : spec.mode().equals("max") ? ReduceOnPlateau.Mode.MAX : ReduceOnPlateau.Mode.MIN,
                    spec.value("factor"), (int) spec.value("patience"), spec.value("threshold"), (int) spec.value("cooldown"),
                    spec.value("min"));
            default -> throw new IllegalArgumentException("unknown schedule kind '" + spec.kind() + "'");
        };
    }
}
