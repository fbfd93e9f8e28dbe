package kiln.ir;

import java.util.List;

/** z = mean + eps * exp(logVariance / 2), eps ~ N(0, I) drawn per forward; inputs (mean, logVariance) of one shape. */
public record GaussianSampleOp() implements Op {
    @Override
    public Shape outputShape(String node, List<Node> inputs) throws IrException {
        Node mean = inputs.get(0), logVariance = inputs.get(1);
        if (!mean.shape().equals(logVariance.shape())) {
            throw new IrException(node, "logVariance", "gaussian_sample needs a mean and a log-variance of one shape, but '"
                    + mean.name() + "' is " + mean.shape() + " and '" + logVariance.name() + "' is " + logVariance.shape());
        }
        if (mean == logVariance) {
            throw new IrException(node, "logVariance", "gaussian_sample reads '" + mean.name() + "' as both mean and"
                    + " log-variance: give each its own node");
        }
        return mean.shape();
    }

    @Override
    public String kind() {
        return "gaussian_sample";
    }
}
