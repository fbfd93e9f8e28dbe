package kiln.ir;

import java.util.List;

/** The mean of each channel: [C, H, W] to [C]. */
public record GlobalAvgPoolOp() implements Op {
    @Override
    public Shape outputShape(String node, List<Node> inputs) throws IrException {
        Node in = inputs.get(0);
        Windows.requireImage(node, kind(), in);
        return Shape.of(in.shape().dim(0));
    }

    @Override
    public String kind() {
        return "global_avg_pool2d";
    }
}
