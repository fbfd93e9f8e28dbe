package kiln.ir;

import java.util.List;
import kiln.dsl.Init;

/**
 * Token ids to vectors: the model input's [steps] ids (whole numbers carried as floats) to
 * [steps, dim] rows of the table {@code weight} [vocab, dim].
 */
public record EmbeddingOp(int vocab, int dim, Init init) implements Op {
    @Override
    public Shape outputShape(String node, List<Node> inputs) throws IrException {
        if (vocab < 1) throw new IrException(node, "vocab", "embedding vocab must be >= 1, got " + vocab);
        if (dim < 1) throw new IrException(node, "dim", "embedding dim must be >= 1, got " + dim);
        return Shape.of(TokenIds.steps(node, "embedding", inputs.get(0)), dim);
    }

    @Override
    public String kind() {
        return "embedding";
    }
}
