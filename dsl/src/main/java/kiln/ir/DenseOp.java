package kiln.ir;

import java.util.List;
import kiln.dsl.Activation;
import kiln.dsl.Init;

/**
 * y = activation(x W^T + b), W [units, in], on the last axis: a flat [in] gives [units], a sequence
 * [steps, in] gives [steps, units] (the same weights at every step). The activation is element-wise
 * (never softmax).
 */
public record DenseOp(int units, boolean bias, Activation activation, Init init) implements Op {
    @Override
    public Shape outputShape(String node, List<Node> inputs) throws IrException {
        if (units < 1) throw new IrException(node, "units", "dense units must be >= 1, got " + units);
        if (activation == Activation.SOFTMAX) {
            throw new IrException(node, "activation",
                    "softmax is not an element-wise activation: declare it as its own @Activate(SOFTMAX) node, "
                            + "or feed logits to SOFTMAX_CROSS_ENTROPY");
        }
        Node in = inputs.get(0);
        if (in.shape().rank() == 2) return Shape.of(in.shape().dim(0), units); // a sequence: every step
        if (in.shape().rank() != 1) {
            throw new IrException(node, "from", "dense needs a flat input of rank 1, but '" + in.name()
                    + "' has shape " + in.shape() + ": insert a @Flatten node before it (or @GlobalAvgPool2d)");
        }
        return Shape.of(units);
    }

    /** The same dense with another activation: how fusion folds a following activation node in. */
    public DenseOp withActivation(Activation a) {
        return new DenseOp(units, bias, a, init);
    }

    @Override
    public String kind() {
        return "dense";
    }
}
