package kiln.ir;

import java.util.List;

/**
 * What a node computes. Each op owns its shape rule here; its forward and backward code rules live
 * in the processor ({@code kiln.processor.ops}), one class per op.
 */
public sealed interface Op permits InputOp, DenseOp, ActivationOp, AddOp, LossOp,
        Conv2dOp, ConvTranspose2dOp, Pool2dOp, GlobalAvgPoolOp, FlattenOp, DropoutOp, BatchNormOp,
        RecurrentOp, EmbeddingOp, OneHotOp,
        NoiseOp, GaussianSampleOp, MultiplyOp, LeakyReluOp, ConcatOp, SliceOp {
    /** The output shape for these input shapes, or an IrException (for {@code node}) saying why not. */
    Shape outputShape(String node, List<Node> inputs) throws IrException;

    /** What is legal but probably unintended about this node, for a compiler warning; none by default. */
    default List<IrWarning> warnings(String node, List<Node> inputs) {
        return List.of();
    }

    /** Short lower-case name used in messages and comments, e.g. "dense". */
    String kind();
}
