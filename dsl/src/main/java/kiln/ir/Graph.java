package kiln.ir;

import java.util.List;
import kiln.dsl.LossKind;

/**
 * A checked model: nodes in topological order with inferred shapes, one input, one loss.
 * Built only by {@link GraphBuilder}, so every Graph is well formed.
 */
public final class Graph {
    private final String name;
    private final List<Node> nodes;
    private final Node input;
    private final Node loss;

    Graph(String name, List<Node> nodes, Node input, Node loss) {
        this.name = name;
        this.nodes = List.copyOf(nodes);
        this.input = input;
        this.loss = loss;
    }

    public String name() {
        return name;
    }

    /** All nodes, each after its inputs. */
    public List<Node> nodes() {
        return nodes;
    }

    public Node input() {
        return input;
    }

    public Node lossNode() {
        return loss;
    }

    public LossKind lossKind() {
        return ((LossOp) loss.op()).loss();
    }

    /** The node the loss reads: the model's output (logits or predictions). */
    public Node output() {
        return loss.inputs().get(0);
    }

    /** One line per node, e.g. {@code hidden1 = dense(image) [256]}: for comments and debugging. */
    public String describe() {
        StringBuilder sb = new StringBuilder();
        for (Node n : nodes) {
            sb.append(n.name()).append(" = ").append(n.op().kind());
            if (n.op() instanceof DenseOp d && d.activation() != kiln.dsl.Activation.IDENTITY) {
                sb.append(' ').append(d.activation().name().toLowerCase(java.util.Locale.ROOT));
            }
            if (!(n.op() instanceof DenseOp || n.op() instanceof ActivationOp) && n.producedActivation() != null
                    && n.producedActivation() != kiln.dsl.Activation.IDENTITY) {
                sb.append(' ').append(n.producedActivation().name().toLowerCase(java.util.Locale.ROOT));
            }
            sb.append(n.inputs().stream().map(Node::name).toList().toString().replace('[', '(').replace(']', ')'));
            sb.append(' ').append(n.shape()).append('\n');
        }
        return sb.toString();
    }
}
