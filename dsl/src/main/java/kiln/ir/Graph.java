package kiln.ir;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import kiln.dsl.Activation;
import kiln.dsl.InputKind;
import kiln.dsl.LossKind;

/**
 * A checked model: nodes in topological order with inferred shapes; one or more inputs; loss
 * terms and declared outputs (at least one of either). Built only by {@link GraphBuilder}, so
 * every Graph is well formed.
 */
public final class Graph {
    private final String name;
    private final List<Node> nodes;
    private final List<Node> inputs = new ArrayList<>();
    private final List<Node> losses = new ArrayList<>();
    private final List<Node> outputs = new ArrayList<>();
    private final List<IrWarning> warnings;
    private final java.util.Set<Node> unused = new java.util.HashSet<>();

    Graph(String name, List<Node> nodes, List<IrWarning> warnings) {
        this.name = name;
        this.nodes = List.copyOf(nodes);
        this.warnings = warnings;
        for (Node n : nodes) {
            if (n.op() instanceof InputOp) inputs.add(n);
            if (n.op() instanceof LossOp) losses.add(n);
            if (n.isOutput()) outputs.add(n);
        }
    }

    public String name() {
        return name;
    }

    /** All nodes, each after its inputs. */
    public List<Node> nodes() {
        return nodes;
    }

    /** What is legal but probably unintended, for compiler warnings at the nodes. */
    public List<IrWarning> warnings() {
        return List.copyOf(warnings);
    }

    /** Whether node {@code n} feeds no loss term and no output: it runs forward but has no backward. */
    public boolean isUnused(Node n) {
        return unused.contains(n);
    }

    void markUnused(Node n) {
        unused.add(n);
    }

    /** The node called {@code name}. */
    public Node node(String name) {
        for (Node n : nodes) if (n.name().equals(name)) return n;
        throw new IllegalArgumentException("no node " + name + " in " + this.name);
    }

    /** The inputs, in declaration order. */
    public List<Node> inputs() {
        return List.copyOf(inputs);
    }

    /** The first input: what a one-input model's {@code forward(x, n)} feeds. */
    public Node input() {
        return inputs.get(0);
    }

    /** The loss terms, in declaration order; empty for a model driven only by its callers' gradients. */
    public List<Node> losses() {
        return List.copyOf(losses);
    }

    /** The declared outputs, in declaration order. */
    public List<Node> outputs() {
        return List.copyOf(outputs);
    }

    /** The loss term whose target comes from the data (labels or targets), or null when none does. */
    public Node dataLoss() {
        for (Node l : losses) {
            if (((LossOp) l.op()).loss().hasTarget() && l.inputs().size() == 1) return l;
        }
        return null;
    }

    /** The data loss's kind, or null when no term reads the data's targets. */
    public LossKind lossKind() {
        Node l = dataLoss();
        return l == null ? null : ((LossOp) l.op()).loss();
    }

    /**
     * The model's prediction, what {@code predict} returns: the first declared output, else the
     * node the data loss scores, else the node the first loss term scores.
     */
    public Node output() {
        if (!outputs.isEmpty()) return outputs.get(0);
        Node l = dataLoss() != null ? dataLoss() : losses.get(0);
        return l.inputs().get(0);
    }

    /** The kind of an input: as declared, else token ids when an embedding or one-hot reads it, an image for rank 3, else features. */
    public InputKind kindOf(Node input) {
        InputKind declared = ((InputOp) input.op()).inputKind();
        if (declared != InputKind.AUTO) return declared;
        for (Node c : input.consumers()) if (c.op() instanceof EmbeddingOp || c.op() instanceof OneHotOp) return InputKind.TOKENS;
        return input.shape().rank() == 3 ? InputKind.IMAGE : InputKind.FEATURES;
    }

    /** One line per node, e.g. {@code hidden1 = dense(image) [256]}: for comments and debugging. */
    public String describe() {
        StringBuilder sb = new StringBuilder();
        for (Node n : nodes) {
            sb.append(n.name()).append(" = ").append(n.op().kind());
            if (n.op() instanceof DenseOp d && d.activation() != Activation.IDENTITY) {
                sb.append(' ').append(d.activation().name().toLowerCase(Locale.ROOT));
            }
            if (!(n.op() instanceof DenseOp || n.op() instanceof ActivationOp) && n.producedActivation() != null
                    && n.producedActivation() != Activation.IDENTITY) {
                sb.append(' ').append(n.producedActivation().name().toLowerCase(Locale.ROOT));
            }
            sb.append(n.inputs().stream().map(Node::name).toList().toString().replace('[', '(').replace(']', ')'));
            sb.append(' ').append(n.shape());
            if (n.isOutput()) sb.append(" output");
            sb.append('\n');
        }
        return sb.toString();
    }
}
