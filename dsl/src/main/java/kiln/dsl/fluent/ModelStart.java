package kiln.dsl.fluent;

/** A named model before its input: {@code Kiln.model("mlp").input(784)}. */
public final class ModelStart {
    private final String name;

    ModelStart(String name) {
        this.name = Node.checkName(name, "a model name becomes a class name");
    }

    /** The model's input: the shape of one sample, without the batch axis. Named {@code input}. */
    public Node input(int... dims) {
        return new Draft(name).input(dims);
    }
}
