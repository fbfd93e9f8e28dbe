package kiln.ir;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The parameter tensors of the ops that can share them (dense layers and embeddings: a tied
 * language-model head reads its embedding's table), by suffix ({@code weight}, {@code bias}), with
 * PyTorch's shapes: what sharing and tying check.
 */
public final class ParamShapes {
    private ParamShapes() {}

    /** The node's own tensors by suffix; empty for an op that cannot share its parameters. */
    public static Map<String, Shape> of(Node n) {
        Map<String, Shape> shapes = new LinkedHashMap<>();
        Shape in = n.inputs().isEmpty() ? null : n.inputs().get(0).shape();
        switch (n.op()) {
            case DenseOp d -> {
                shapes.put("weight", Shape.of(d.units(), in.dim(in.rank() - 1)));
                if (d.bias()) shapes.put("bias", Shape.of(d.units()));
            }
            case EmbeddingOp e -> shapes.put("weight", Shape.of(e.vocab(), e.dim()));
            default -> { }
        }
        return shapes;
    }

    /** Whether the op declares parameters at all (sharable or not). */
    public static boolean hasParams(Node n) {
        return switch (n.op()) {
            case DenseOp d -> true;
            case Conv2dOp c -> true;
            case ConvTranspose2dOp c -> true;
            case EmbeddingOp e -> true;
            case BatchNormOp b -> true;
            case RecurrentOp r -> true;
            default -> false;
        };
    }
}
