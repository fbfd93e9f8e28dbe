package kiln.ir;

import java.util.List;
import kiln.dsl.Activation;
import kiln.dsl.LossKind;

/** The scalar objective over the batch; its input is the model's output (prediction or logits). */
public record LossOp(LossKind loss) implements Op {
    @Override
    public Shape outputShape(String node, List<Node> inputs) throws IrException {
        Node in = inputs.get(0);
        Activation produced = in.producedActivation();
        switch (loss) {
            case SOFTMAX_CROSS_ENTROPY -> {
                int rank = in.shape().rank();
                if (rank < 1 || rank > 2 || in.shape().dim(rank - 1) < 2) {
                    throw new IrException(node, "from", "softmax_cross_entropy needs logits of shape [classes] (or"
                            + " [steps, classes], one label per step) with at least 2 classes, but '" + in.name()
                            + "' has shape " + in.shape());
                }
                if (produced == Activation.SOFTMAX) {
                    throw new IrException(node, "from", "softmax_cross_entropy takes raw logits, but '" + in.name()
                            + "' is already a softmax: remove that softmax (the loss applies it)");
                }
            }
            case BINARY_CROSS_ENTROPY -> {
                if (produced != Activation.SIGMOID) {
                    throw new IrException(node, "from", "binary_cross_entropy takes probabilities, but '" + in.name()
                            + "' is not a sigmoid output: add activation = SIGMOID, or use"
                            + " BINARY_CROSS_ENTROPY_WITH_LOGITS on raw logits");
                }
            }
            case BINARY_CROSS_ENTROPY_WITH_LOGITS -> {
                if (produced == Activation.SIGMOID || produced == Activation.SOFTMAX) {
                    throw new IrException(node, "from", "binary_cross_entropy_with_logits takes raw logits, but '"
                            + in.name() + "' is already a " + produced.name().toLowerCase(java.util.Locale.ROOT)
                            + " output: remove it, or use BINARY_CROSS_ENTROPY");
                }
            }
            case MSE, MSE_SUM -> { }
        }
        return Shape.of(1);
    }

    @Override
    public String kind() {
        return "loss " + loss.name().toLowerCase(java.util.Locale.ROOT);
    }
}
