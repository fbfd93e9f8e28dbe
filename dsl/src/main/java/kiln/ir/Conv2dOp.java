package kiln.ir;

import java.util.List;
import kiln.dsl.Activation;
import kiln.dsl.Init;

/**
 * y = activation(conv2d(x, W) + b): x [inChannels, H, W] to y [outChannels, Ho, Wo], with
 * W [outChannels, inChannels, kernel, kernel], cross-correlation, zero padding, and
 * {@code Ho = floor((H + 2 padding - kernel) / stride) + 1} (PyTorch's nn.Conv2d).
 * {@code inChannels} 0 means "whatever the input has".
 */
public record Conv2dOp(int inChannels, int outChannels, int kernel, int stride, int padding, boolean bias,
                       Activation activation, Init init) implements Op {
    @Override
    public Shape outputShape(String node, List<Node> inputs) throws IrException {
        Windows.requirePositive(node, "outChannels", "conv2d", outChannels);
        Windows.requirePositive(node, "kernel", "conv2d", kernel);
        Windows.requirePositive(node, "stride", "conv2d", stride);
        if (padding < 0) throw new IrException(node, "padding", "conv2d padding must be >= 0, got " + padding);
        if (activation == Activation.SOFTMAX) {
            throw new IrException(node, "activation", "softmax is not an element-wise activation: declare it as its own"
                    + " @Activate(SOFTMAX) node on a flat input");
        }
        Node in = inputs.get(0);
        Windows.requireImage(node, "conv2d", in);
        Windows.requireChannels(node, "conv2d", in, inChannels);
        Shape s = in.shape();
        int ho = Windows.outputSize(node, "conv2d", in, s.dim(1), kernel, stride, padding);
        int wo = Windows.outputSize(node, "conv2d", in, s.dim(2), kernel, stride, padding);
        return Shape.of(outChannels, ho, wo);
    }

    /** The same convolution with another activation: how fusion folds a following activation node in. */
    public Conv2dOp withActivation(Activation a) {
        return new Conv2dOp(inChannels, outChannels, kernel, stride, padding, bias, a, init);
    }

    @Override
    public List<IrWarning> warnings(String node, List<Node> inputs) {
        return Windows.unreadRowsAndColumns(node, "conv2d", inputs.get(0), kernel, stride, padding);
    }

    @Override
    public String kind() {
        return "conv2d";
    }
}
