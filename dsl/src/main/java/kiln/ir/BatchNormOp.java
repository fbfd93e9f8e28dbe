package kiln.ir;

import java.util.List;
import kiln.dsl.Activation;

/**
 * Batch normalisation per channel, then an element-wise activation: over [C, H, W] images
 * (BatchNorm2d) or [C] vectors (BatchNorm1d). Parameters weight and bias [C]; model state
 * running_mean and running_var [C].
 */
public record BatchNormOp(double momentum, double eps, Activation activation) implements Op {
    @Override
    public Shape outputShape(String node, List<Node> inputs) throws IrException {
        if (!(momentum >= 0 && momentum <= 1)) {
            throw new IrException(node, "momentum", "batch-norm momentum must be in [0, 1], got " + momentum);
        }
        if (!(eps > 0)) throw new IrException(node, "eps", "batch-norm eps must be > 0, got " + eps);
        if (activation == Activation.SOFTMAX) {
            throw new IrException(node, "activation", "softmax is not an element-wise activation: declare it as its own"
                    + " @Activate(SOFTMAX) node");
        }
        Node in = inputs.get(0);
        int rank = in.shape().rank();
        if (rank != 1 && rank != 3) {
            throw new IrException(node, "from", "batch-norm needs an image [channels, height, width] or a vector [features],"
                    + " but '" + in.name() + "' has shape " + in.shape());
        }
        return in.shape();
    }

    /** The same normalisation with another activation: how fusion folds a following activation node in. */
    public BatchNormOp withActivation(Activation a) {
        return new BatchNormOp(momentum, eps, a);
    }

    @Override
    public String kind() {
        return "batch_norm";
    }
}
