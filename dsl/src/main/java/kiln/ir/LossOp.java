package kiln.ir;

import java.util.List;
import java.util.Locale;
import kiln.dsl.Activation;
import kiln.dsl.LossKind;
import kiln.dsl.Reduction;

/**
 * One loss term, a scalar over the batch, weighted in the model's total. Its first input is what
 * it scores (logits, predictions, a Gaussian sample for the KL term, any node for a penalty); a
 * second input, when present, is its target (another input or node). Without one, a term with a
 * target compares with the data's labels or targets.
 */
public record LossOp(LossKind loss, double weight, Reduction reduction) implements Op {
    public LossOp(LossKind loss) {
        this(loss, 1, Reduction.DEFAULT);
    }

    @Override
    public Shape outputShape(String node, List<Node> inputs) throws IrException {
        if (!(weight > 0) || Double.isInfinite(weight)) {
            throw new IrException(node, "weight", "a loss term's weight must be a number > 0, got " + weight);
        }
        Node in = inputs.get(0);
        Node target = inputs.size() > 1 ? inputs.get(1) : null;
        Activation produced = in.producedActivation();
        if (target != null && !loss.hasTarget()) {
            throw new IrException(node, "target", label() + " takes no target, but the term names '" + target.name() + "'");
        }
        if (loss == LossKind.MSE_SUM && reduction != Reduction.DEFAULT) {
            throw new IrException(node, "reduction", "mse_sum is MSE with BATCH_MEAN reduction; declare MSE with the reduction you want");
        }
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
                if (target != null) {
                    throw new IrException(node, "target", "softmax_cross_entropy compares with the data's class labels, not with '"
                            + target.name() + "': leave target empty, or compare probabilities with MSE");
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
                            + in.name() + "' is already a " + produced.name().toLowerCase(Locale.ROOT)
                            + " output: remove it, or use BINARY_CROSS_ENTROPY");
                }
            }
            case KL_DIVERGENCE -> {
                if (!(in.op() instanceof GaussianSampleOp)) {
                    throw new IrException(node, "from", "kl_divergence reads a Gaussian's parameters from a gaussian_sample node,"
                            + " but '" + in.name() + "' is a " + in.op().kind() + " node: point it at the @GaussianSample");
                }
            }
            case MSE, MSE_SUM, L1_ACTIVITY, L2_ACTIVITY -> { }
        }
        if (target != null && !target.shape().equals(in.shape())) {
            throw new IrException(node, "target", label() + " compares '" + in.name() + "' " + in.shape() + " with target '"
                    + target.name() + "' " + target.shape() + ": they need one shape");
        }
        return Shape.of(1);
    }

    /** The reduction in force: the declared one, or the kind's default. */
    public Reduction effectiveReduction() {
        if (reduction != Reduction.DEFAULT) return reduction;
        return switch (loss) {
            case MSE_SUM, KL_DIVERGENCE, L1_ACTIVITY, L2_ACTIVITY -> Reduction.BATCH_MEAN;
            default -> Reduction.MEAN;
        };
    }

    private String label() {
        return loss.name().toLowerCase(Locale.ROOT);
    }

    @Override
    public String kind() {
        return "loss " + label();
    }
}
