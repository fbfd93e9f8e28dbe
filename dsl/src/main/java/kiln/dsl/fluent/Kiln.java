package kiln.dsl.fluent;

/**
 * Where a fluent model starts: {@code Kiln.input(784)} (or {@code input(784)} with a static import)
 * begins a chain; {@code Kiln.model("mlp").input(784)} does the same for a model built at run time,
 * whose generated class is named after it.
 */
public final class Kiln {
    private Kiln() {}

    /** The input of a new model: the shape of one sample, without the batch axis. Named {@code input}. */
    public static Node input(int... dims) {
        return new Draft(null).input(dims);
    }

    /**
     * A model named {@code name}, for run-time compilation. A {@code @Model} method takes its name
     * from the method instead, so its chain starts at {@link #input}.
     */
    public static ModelStart model(String name) {
        return new ModelStart(name);
    }

    /** Element-wise sum of nodes of one shape: {@code add(stem, block)} is a residual join. */
    public static Node add(Node first, Node second, Node... more) {
        return first.add(second, more);
    }

    /** Element-wise product of nodes of one shape. */
    public static Node multiply(Node first, Node second, Node... more) {
        return first.multiply(second, more);
    }

    /** Nodes joined along the last axis (features). */
    public static Node concat(Node first, Node second, Node... more) {
        return first.concat(second, more);
    }

    /**
     * The reparameterised Gaussian sample of a VAE: z = mean + eps * exp(logVariance / 2), eps ~
     * N(0, I) drawn at every forward pass; a {@code KL_DIVERGENCE} term on it regularises both.
     */
    public static Node gaussianSample(Node mean, Node logVariance) {
        mean.draft.checkSameModel(logVariance);
        return mean.draft.declare(new Node(mean.draft, new kiln.ir.GaussianSampleOp(), java.util.List.of(mean, logVariance)));
    }

    /**
     * Ends the chain with several loss terms, whose weighted sum training minimises:
     * {@code minimize(recon.lossTerm(BINARY_CROSS_ENTROPY).target(image), z.lossTerm(KL_DIVERGENCE))}.
     */
    public static ModelSpec minimize(LossTerm first, LossTerm... more) {
        java.util.List<LossTerm> terms = new java.util.ArrayList<>();
        terms.add(first);
        if (more != null) terms.addAll(java.util.List.of(more));
        for (LossTerm t : terms) first.draft.checkSameModel(t);
        return first.draft.finish(terms);
    }

    /**
     * Ends the chain of a model without a loss: {@code outputs} are what callers read and seed
     * gradients into (a generator trained through a discriminator's input gradient).
     */
    public static ModelSpec outputs(Node first, Node... more) {
        java.util.List<Node> all = new java.util.ArrayList<>();
        all.add(first);
        if (more != null) all.addAll(java.util.List.of(more));
        for (Node n : all) {
            first.draft.checkSameModel(n);
            n.output();
        }
        return first.draft.finish(java.util.List.of());
    }
}
