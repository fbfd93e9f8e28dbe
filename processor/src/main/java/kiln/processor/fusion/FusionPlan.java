package kiln.processor.fusion;

import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import kiln.dsl.Activation;
import kiln.dsl.LossKind;
import kiln.ir.ActivationOp;
import kiln.ir.DenseOp;
import kiln.ir.Graph;
import kiln.ir.Node;

/**
 * Which nodes the emitter merges, decided once per graph:
 * <ul>
 *   <li>a dense with no activation whose only reader is an element-wise activation node computes
 *       that activation in the matmul's epilogue, writing straight into the activation's buffer;
 *   <li>a binary cross-entropy on a sigmoid output seeds the gradient of the sigmoid's input,
 *       (y - t) / count, so the sigmoid's derivative is never evaluated;
 *   <li>softmax cross-entropy is always one pass (the loss owns its softmax).
 * </ul>
 */
public final class FusionPlan {
    private final Map<Node, Node> activationOf = new HashMap<>();
    private final Set<Node> absorbed = new HashSet<>();
    private final boolean lossSeedsPreActivation;

    public FusionPlan(Graph graph) {
        for (Node n : graph.nodes()) {
            if (n.op() instanceof DenseOp d && d.activation() == Activation.IDENTITY && n.consumers().size() == 1
                    && n.consumers().get(0).op() instanceof ActivationOp a && a.activation() != Activation.SOFTMAX) {
                activationOf.put(n, n.consumers().get(0));
                absorbed.add(n.consumers().get(0));
            }
        }
        lossSeedsPreActivation = graph.lossKind() == LossKind.BINARY_CROSS_ENTROPY;
    }

    /** The node whose buffer holds {@code n}'s result: itself, or the activation fused into it. */
    public Node resultOf(Node n) {
        return activationOf.getOrDefault(n, n);
    }

    /** The activation a dense applies in its epilogue, its own or a fused one. */
    public Activation denseActivation(Node dense) {
        Node result = resultOf(dense);
        return result == dense ? ((DenseOp) dense.op()).activation() : ((ActivationOp) result.op()).activation();
    }

    /** True for an activation node computed inside the dense before it. */
    public boolean isAbsorbed(Node n) {
        return absorbed.contains(n);
    }

    /** True when the loss seeds dL/d(pre-sigmoid) directly, so the output's sigmoid derivative is skipped. */
    public boolean lossSeedsPreActivation() {
        return lossSeedsPreActivation;
    }
}
