package kiln.dsl.fluent;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import kiln.ir.InputOp;
import kiln.ir.LossOp;
import kiln.ir.Op;
import kiln.ir.Shape;

/** The nodes of one model while its chain is being written; frozen into a ModelSpec by the loss. */
final class Draft {
    private final String modelName;
    private final List<Node> nodes = new ArrayList<>();
    private final Map<String, Integer> counts = new HashMap<>();
    private boolean finished;

    Draft(String modelName) {
        this.modelName = modelName;
    }

    Node input(int[] dims) {
        if (dims == null) throw new IllegalArgumentException("input needs a shape, e.g. input(784)");
        return declare(new Node(this, new InputOp(Shape.of(dims)), List.of()));
    }

    boolean owns(Node n) {
        return n.draft == this;
    }

    <N extends Node> N declare(N node) {
        checkOpen();
        nodes.add(node);
        return node;
    }

    /**
     * {@code input}, {@code input2}, ... for inputs and {@code loss}, {@code loss2}, ... for loss
     * terms, else the op kind and its count among the model's nodes of that kind, named or not:
     * the second dense layer is dense2.
     */
    String defaultName(Op op) {
        String base = op instanceof InputOp ? "input" : op instanceof LossOp ? "loss" : null;
        if (base != null) {
            int k = counts.merge(base, 1, Integer::sum);
            return k == 1 ? base : base + k;
        }
        return op.kind() + counts.merge(op.kind(), 1, Integer::sum);
    }

    void checkOpen() {
        if (finished) {
            throw new IllegalStateException("the model is finished: loss(...) ends the chain, so no node can be"
                    + " added or renamed after it");
        }
    }

    void checkSameModel(Node other) {
        if (other == null) throw new IllegalArgumentException("a node handle is null");
        if (other.draft != this) {
            throw new IllegalArgumentException("'" + other.name() + "' belongs to another model: every node of a"
                    + " model comes from the one input(...) its chain starts with");
        }
    }

    /**
     * Freezes the model: {@code terms} are its loss terms (every term declared must be among them,
     * so none is dropped by accident); outputs were marked on their nodes.
     */
    ModelSpec finish(List<? extends Node> terms) {
        checkOpen();
        for (Node n : nodes) {
            if (n instanceof LossTerm t && !terms.contains(t)) {
                throw new IllegalStateException("loss term '" + t.name() + "' is declared but not minimized: pass it to"
                        + " Kiln.minimize(...) with the others");
            }
        }
        finished = true;
        List<ModelSpec.Declaration> declarations = new ArrayList<>();
        for (Node n : nodes) {
            declarations.add(new ModelSpec.Declaration(n.name(), n.op, n.inputs.stream().map(Node::name).toList(), n.options));
        }
        return new ModelSpec(modelName, declarations);
    }
}
