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
}
