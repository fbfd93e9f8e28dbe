package kiln.dsl;

/**
 * The type of a node field in a {@link Model} class. The field names the node; its annotation
 * says what the node computes. Fields are never read at run time: the generated model class
 * holds the buffers.
 */
public final class Layer {
    private Layer() {}
}
