package kiln.ir;

import java.util.List;
import java.util.Locale;

/**
 * Max- or average-pooling of each channel over square windows, no padding: [C, H, W] to
 * [C, Ho, Wo] with {@code Ho = floor((H - kernel) / stride) + 1}, PyTorch's floor mode (rows and
 * columns no window reaches are never read; the build warns about them).
 */
public record Pool2dOp(Kind pooling, int kernel, int stride) implements Op {
    public enum Kind { MAX, AVG }

    @Override
    public Shape outputShape(String node, List<Node> inputs) throws IrException {
        Windows.requirePositive(node, "kernel", kind(), kernel);
        Windows.requirePositive(node, "stride", kind(), stride);
        Node in = inputs.get(0);
        Windows.requireImage(node, kind(), in);
        Shape s = in.shape();
        int ho = Windows.outputSize(node, kind(), in, s.dim(1), kernel, stride, 0);
        int wo = Windows.outputSize(node, kind(), in, s.dim(2), kernel, stride, 0);
        return Shape.of(s.dim(0), ho, wo);
    }

    @Override
    public List<IrWarning> warnings(String node, List<Node> inputs) {
        return Windows.unreadRowsAndColumns(node, kind(), inputs.get(0), kernel, stride, 0);
    }

    @Override
    public String kind() {
        return pooling.name().toLowerCase(Locale.ROOT) + "_pool2d";
    }
}
