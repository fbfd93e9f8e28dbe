package kiln.ir;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import kiln.dsl.Activation;

/** One node of the model graph: a named op applied to earlier nodes, with its inferred shape. */
public final class Node {
    private final int index;
    private final String name;
    private final Op op;
    private final List<Node> inputs;
    private final List<Node> consumers = new ArrayList<>();
    private final NodeOptions options;
    private Shape shape;

    Node(int index, String name, Op op, List<Node> inputs, NodeOptions options) {
        this.index = index;
        this.name = name;
        this.op = op;
        this.inputs = List.copyOf(inputs);
        this.options = options;
    }

    /** Position in the graph's topological order. */
    public int index() {
        return index;
    }

    public String name() {
        return name;
    }

    public Op op() {
        return op;
    }

    public List<Node> inputs() {
        return inputs;
    }

    /** Nodes that read this one, in topological order. */
    public List<Node> consumers() {
        return Collections.unmodifiableList(consumers);
    }

    /** Whether the node is a declared output, and how its parameters train. */
    public NodeOptions options() {
        return options;
    }

    /** Whether the node was declared an output (its value kept, its gradient seedable by callers). */
    public boolean isOutput() {
        return options.output();
    }

    public Shape shape() {
        return shape;
    }

    /** The activation this node ends with (a dense's, convolution's or batch-norm's, or an activation node's), else null. */
    public Activation producedActivation() {
        return switch (op) {
            case DenseOp d -> d.activation();
            case ActivationOp a -> a.activation();
            case Conv2dOp c -> c.activation();
            case ConvTranspose2dOp c -> c.activation();
            case BatchNormOp b -> b.activation();
            default -> null;
        };
    }

    void setShape(Shape shape) {
        this.shape = shape;
    }

    void addConsumer(Node n) {
        consumers.add(n);
    }

    @Override
    public String toString() {
        return name + ":" + op.kind() + shape;
    }
}
