package kiln.runtime.io;

import java.nio.file.Path;
import java.util.Arrays;
import kiln.runtime.Param;
import kiln.runtime.optim.Optimizer;
import kiln.runtime.optim.Optimizers;
import kiln.runtime.train.Checkpoint;
import kiln.runtime.train.SoftmaxRegression;
import kiln.runtime.train.TrainingState;

/**
 * The child process of {@link KilledSaveTest}: saves a large checkpoint over and over, generation
 * after generation, printing {@code saved G} after each. In generation G every weight is G, the
 * optimizer has taken G steps, and the training state says epoch G.
 *
 * <p>Arguments: FILE FIRST_GENERATION INPUTS (the weight matrix is [8, INPUTS]).
 */
public final class CheckpointWriterProcess {
    private CheckpointWriterProcess() {}

    public static void main(String[] args) throws Exception {
        Path file = Path.of(args[0]);
        int generation = Integer.parseInt(args[1]);
        int inputs = Integer.parseInt(args[2]);
        try (SoftmaxRegression model = new SoftmaxRegression(1, inputs, 8)) {
            Optimizer momentum = Optimizers.create("momentum", model.params(), 0.1);
            for (Param p : model.params()) Arrays.fill(p.grad, 1f);
            for (int g = 1; g < generation; g++) momentum.step(); // the optimizer state of generation - 1
            System.out.println("ready");
            System.out.flush();
            for (; ; generation++) {
                momentum.step();
                for (Param p : model.params()) Arrays.fill(p.value, generation);
                Checkpoint.save(file, model, momentum, new TrainingState(generation, generation, 7));
                System.out.println("saved " + generation);
                System.out.flush();
            }
        }
    }
}
