package kiln.processor.ops;

import com.palantir.javapoet.CodeBlock;
import java.util.List;
import kiln.ir.RecurrentOp;

/**
 * One kind of recurrent cell: the gate non-linearities and the state update of one time step,
 * forward and backward, each in one pass over a batch row's hidden units (the caller loops over
 * rows and emits the lane loop; see {@link RecurrentRule}). The matrix products around it (input
 * projection of all steps, h_{t-1} W_hh^T per step, the weight gradients of all steps) are the
 * caller's too.
 */
sealed interface RecurrentCell permits RnnTanhCell, LstmCell, GruCell {
    static RecurrentCell of(RecurrentOp.Cell cell) {
        return switch (cell) {
            case RNN_TANH -> new RnnTanhCell();
            case LSTM -> new LstmCell();
            case GRU -> new GruCell();
        };
    }

    /**
     * One step for lanes {@code j}: reads the pre-activations {@code gates[g + ...]} (input
     * projection and biases), {@code hh[q + ...]} (h_{t-1} W_hh^T) and the previous state, leaves
     * the new hidden state in the local {@code h}, and stores what backward needs (the gate
     * activations, in place of the pre-activations, and the cell state).
     */
    CodeBlock forward(LaneMath m, Step s);

    /**
     * The same step backward, for lanes {@code j}, given the local {@code dh} = dL/dh_t: writes
     * dL/d(pre-activations) over the gates of step t in place, and the parts of dL/dh_{t-1} (and
     * dL/dc_{t-1}) that do not go through W_hh into {@code dhRec} ({@code dcRec}).
     */
    CodeBlock backward(LaneMath m, Step s);

    /**
     * The locals {@link #backward} leaves holding dL/d(pre-activation) of each gate block, in gate
     * order: the bias b_ih's gradient sums them over rows and steps.
     */
    List<String> inputGateGradients();

    /** The same for b_hh: the gradient of h_{t-1} W_hh^T + b_hh per gate block. */
    default List<String> hiddenGateGradients() {
        return inputGateGradients();
    }

    /** Whether the cell keeps a cell state c besides h (the LSTM). */
    default boolean hasCellState() {
        return false;
    }

    /**
     * Whether the gradient through W_hh differs from the one through W_ih (the GRU's candidate:
     * r multiplies h W_hn^T + b_hn), so backward keeps it in a buffer of its own.
     */
    default boolean separateHiddenGradient() {
        return false;
    }

    /**
     * The arrays and row offsets of one step, and the hidden size. In generated code, {@code g} is
     * the row of gates for (t, b), {@code q} of hh for b, {@code hp} and {@code hq} of h (and c) at
     * slots t and t+1 of the time-major state buffers, {@code s} of the per-row recurrent gradients.
     */
    record Step(int hidden, String gates, String hh, String hs, String cs, String hn, String gradHh, String dhRec,
                String dcRec, String biasHh) {
        /** Index of lane j of gate block {@code block} in the row starting at local {@code base}. */
        String at(String base, int block) {
            return block == 0 ? base + " + j" : base + " + " + block * hidden + " + j";
        }
    }
}
