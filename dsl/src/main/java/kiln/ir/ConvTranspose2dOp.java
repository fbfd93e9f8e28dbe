package kiln.ir;

import java.util.List;
import kiln.dsl.Activation;
import kiln.dsl.Init;

/**
 * y = activation(conv_transpose2d(x, W) + b), the adjoint of a convolution (PyTorch's
 * nn.ConvTranspose2d): x [inChannels, H, W] to y [outChannels, Ho, Wo] with
 * {@code Ho = (H - 1) stride - 2 padding + kernel + outputPadding} and W [inChannels, outChannels,
 * kernel, kernel]. A convolution with the same kernel, stride and padding maps Ho back to H.
 */
public record ConvTranspose2dOp(int inChannels, int outChannels, int kernel, int stride, int padding, int outputPadding,
                                boolean bias, Activation activation, Init init) implements Op {
    @Override
    public Shape outputShape(String node, List<Node> inputs) throws IrException {
        String op = "conv_transpose2d";
        Windows.requirePositive(node, "outChannels", op, outChannels);
        Windows.requirePositive(node, "kernel", op, kernel);
        Windows.requirePositive(node, "stride", op, stride);
        if (padding < 0) throw new IrException(node, "padding", op + " padding must be >= 0, got " + padding);
        if (outputPadding < 0 || outputPadding >= stride) {
            throw new IrException(node, "outputPadding", op + " outputPadding must be in [0, stride) = [0, " + stride
                    + "), got " + outputPadding);
        }
        if (activation == Activation.SOFTMAX) {
            throw new IrException(node, "activation", "softmax is not an element-wise activation: declare it as its own"
                    + " @Activate(SOFTMAX) node on a flat input");
        }
        Node in = inputs.get(0);
        Windows.requireImage(node, op, in);
        Windows.requireChannels(node, op, in, inChannels);
        Shape s = in.shape();
        int ho = (s.dim(1) - 1) * stride - 2 * padding + kernel + outputPadding;
        int wo = (s.dim(2) - 1) * stride - 2 * padding + kernel + outputPadding;
        if (ho < 1 || wo < 1) {
            throw new IrException(node, "padding", op + " output would be empty: (" + s.dim(1) + " - 1)*" + stride + " - 2*"
                    + padding + " + " + kernel + " + " + outputPadding + " = " + ho + " for '" + in.name() + "' " + s);
        }
        return Shape.of(outChannels, ho, wo);
    }

    public ConvTranspose2dOp withActivation(Activation a) {
        return new ConvTranspose2dOp(inChannels, outChannels, kernel, stride, padding, outputPadding, bias, a, init);
    }

    @Override
    public String kind() {
        return "conv_transpose2d";
    }
}
