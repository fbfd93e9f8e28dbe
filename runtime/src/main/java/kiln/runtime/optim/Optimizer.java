package kiln.runtime.optim;

import java.util.List;
import java.util.Map;
import kiln.runtime.Param;
import kiln.runtime.parallel.WorkerPool;

/**
 * Updates a fixed list of {@link kiln.runtime.Param}s in place from their gradients.
 *
 * <p>Contract: {@link #step()} reads every {@code Param.grad}, writes every {@code Param.value}
 * and the optimizer's own state, and allocates nothing. Not thread-safe; one optimizer belongs to
 * one training loop.
 */
public interface Optimizer {
    /** Applies one update to every parameter, using the gradients currently in {@code Param.grad}. */
    void step();

    /**
     * Splits {@link #step()} between the workers of {@code pool}, usually the model's own, idle
     * while the optimizer runs. Every element is updated as on one thread, so the parameters are
     * the same either way. Null: the calling thread only (the default).
     */
    void useWorkers(WorkerPool pool);

    /**
     * The parameters {@link #step()} updates, in update order: a training loop checks that their
     * gradients are finite and clips them before it steps this optimizer.
     */
    List<Param> params();

    double learningRate();

    /** Changes the learning rate from the next {@link #step()} on (learning-rate schedules use this). */
    void setLearningRate(double lr);

    /** Number of {@link #step()} calls so far, including those restored by {@link #loadState}. */
    long steps();

    /**
     * Named state tensors for checkpoints, e.g. {@code "<param>.momentum"}, {@code "<param>.adam_m"}.
     * The arrays are copies: changing them does not change the optimizer.
     */
    Map<String, float[]> state();

    /**
     * Restores state saved by {@link #state()} and the step count it was saved at, so that the
     * following steps equal those an uninterrupted run would have taken. The map must hold exactly
     * this optimizer's tensors; on any mismatch it throws and changes nothing.
     */
    void loadState(Map<String, float[]> state, long steps);

    /** The rule and its hyperparameters, e.g. {@code "adam(lr=0.01, beta1=0.9, ...)"}, for logs. */
    String describe();
}
