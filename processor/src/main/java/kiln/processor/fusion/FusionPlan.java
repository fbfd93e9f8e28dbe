package kiln.processor.fusion;

import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import kiln.dsl.Activation;
import kiln.dsl.LossKind;
import kiln.ir.ActivationOp;
import kiln.ir.BatchNormOp;
import kiln.ir.Conv2dOp;
import kiln.ir.ConvTranspose2dOp;
import kiln.ir.DenseOp;
import kiln.ir.EmbeddingOp;
import kiln.ir.FlattenOp;
import kiln.ir.Graph;
import kiln.ir.LossOp;
import kiln.ir.Node;
import kiln.ir.OneHotOp;
import kiln.ir.Pool2dOp;
import kiln.ir.RecurrentOp;

/**
 * Which nodes the emitter merges, decided once per graph:
 * <ul>
 *   <li>a dense, convolution, transposed convolution or batch norm with no activation whose only
 *       reader is an element-wise activation node computes that activation in its own pass (the
 *       matmul's epilogue), writing straight into the activation's buffer;
 *   <li>a convolution whose (activated) output is read only by a max-pool pools in the same pass:
 *       the pre-pool feature map is never stored, and backward routes the pool's gradient to the
 *       arg-max inside the convolution's backward;
 *   <li>a flatten shares its input's value and gradient buffers (NCHW is already row-major);
 *   <li>a binary cross-entropy on a sigmoid output that nothing else reads seeds the gradient of
 *       the sigmoid's input, (y - t) / count, so the sigmoid's derivative is never evaluated;
 *   <li>softmax cross-entropy is always one pass (the loss owns its softmax);
 *   <li>a token lookup (an embedding or a one-hot) read only by a recurrent layer is done inside
 *       that layer: the layer projects each token once instead of every step's row (see
 *       {@code TokenProjection}), and the looked-up sequence is never stored.
 * </ul>
 * A declared output is never merged away: its value and gradient keep their own buffers, so
 * callers can read it and seed its gradient. Nor is an embedding whose table another node shares.
 */
public final class FusionPlan {
    private final Map<Node, Node> activationOf = new HashMap<>(); // producer -> the activation node it computes
    private final Map<Node, Node> poolOf = new HashMap<>();       // convolution -> the max-pool it computes
    private final Map<Node, Node> tailOf = new HashMap<>();       // a fused chain's head and inner nodes -> its last node
    private final Map<Node, Node> aliasOf = new HashMap<>();      // flatten -> its input, whose buffers it shares
    private final Map<Node, Node> lookupOf = new HashMap<>();    // recurrent layer -> the token lookup it does itself
    private final Set<Node> absorbed = new HashSet<>();
    private final Set<Node> seedsPreActivation = new HashSet<>();

    public FusionPlan(Graph graph) {
        Set<Node> sharingParams = new HashSet<>();
        for (Node n : graph.nodes()) {
            if (!n.options().borrowsParams()) continue;
            sharingParams.add(n);
            sharingParams.add(graph.node(n.options().sharedWith() != null ? n.options().sharedWith() : n.options().transposeOf()));
        }
        for (Node n : graph.nodes()) {
            if (fusesActivation(n) && !n.isOutput() && n.consumers().size() == 1
                    && n.consumers().get(0).op() instanceof ActivationOp a && a.activation() != Activation.SOFTMAX) {
                activationOf.put(n, n.consumers().get(0));
                absorbed.add(n.consumers().get(0));
            }
            if (n.op() instanceof Conv2dOp && !n.isOutput()) {
                Node last = activationOf.getOrDefault(n, n);
                if (!last.isOutput() && last.consumers().size() == 1 && last.consumers().get(0).op() instanceof Pool2dOp p
                        && p.pooling() == Pool2dOp.Kind.MAX) {
                    poolOf.put(n, last.consumers().get(0));
                    absorbed.add(last.consumers().get(0));
                }
            }
            if (n.op() instanceof FlattenOp) aliasOf.put(n, n.inputs().get(0));
            if ((n.op() instanceof EmbeddingOp || n.op() instanceof OneHotOp) && n.consumers().size() == 1 && !n.isOutput()
                    && !sharingParams.contains(n) && n.consumers().get(0).op() instanceof RecurrentOp) {
                lookupOf.put(n.consumers().get(0), n);
                absorbed.add(n);
            }
        }
        for (Node loss : graph.losses()) {
            Node scored = loss.inputs().get(0);
            if (((LossOp) loss.op()).loss() == LossKind.BINARY_CROSS_ENTROPY && scored.consumers().size() == 1
                    && !scored.isOutput() && !(loss.inputs().size() > 1 && loss.inputs().get(1) == scored)) {
                seedsPreActivation.add(scored);
            }
        }
        for (Node head : activationOf.keySet()) tailOf.put(head, activationOf.get(head));
        for (Map.Entry<Node, Node> e : poolOf.entrySet()) {
            tailOf.put(e.getKey(), e.getValue());
            if (activationOf.containsKey(e.getKey())) tailOf.put(activationOf.get(e.getKey()), e.getValue());
        }
    }

    private static boolean fusesActivation(Node n) {
        return switch (n.op()) {
            case DenseOp d -> d.activation() == Activation.IDENTITY;
            case Conv2dOp c -> c.activation() == Activation.IDENTITY;
            case ConvTranspose2dOp c -> c.activation() == Activation.IDENTITY;
            case BatchNormOp b -> b.activation() == Activation.IDENTITY;
            default -> false;
        };
    }

    /**
     * The node whose buffer holds {@code n}'s result: itself, the last node of the fused chain it
     * starts or lies in, or, for a flatten, whatever holds its input.
     */
    public Node resultOf(Node n) {
        Node r = tailOf.getOrDefault(n, n);
        Node alias = aliasOf.get(r);
        return alias == null ? r : resultOf(alias);
    }

    /** The activation a dense applies in its epilogue, its own or a fused one. */
    public Activation denseActivation(Node dense) {
        return activation(dense);
    }

    /** The activation a node applies in its own pass: its own, or that of the activation node fused into it. */
    public Activation activation(Node n) {
        Node a = activationOf.get(n);
        return a != null ? ((ActivationOp) a.op()).activation() : n.producedActivation();
    }

    /** The max-pool node a convolution computes in its own pass, or null. */
    public Node poolOf(Node conv) {
        return poolOf.get(conv);
    }

    /** The token lookup (embedding or one-hot) a recurrent layer does in its own input projection, or null. */
    public Node lookupOf(Node recurrent) {
        return lookupOf.get(recurrent);
    }

    /** True for a node whose value no buffer holds: a token lookup its recurrent reader does itself. */
    public boolean isUnstored(Node n) {
        return lookupOf.containsValue(n);
    }

    /** True for a node computed inside another's pass (a fused activation or max-pool, a token lookup). */
    public boolean isAbsorbed(Node n) {
        return absorbed.contains(n);
    }

    /** True for a node that shares its input's buffers (a flatten): it computes nothing. */
    public boolean isAlias(Node n) {
        return aliasOf.containsKey(n);
    }

    /**
     * True for a sigmoid output whose only reader is a binary cross-entropy term: the term seeds
     * dL/d(pre-sigmoid) into its gradient buffer, so the rule computing it skips the sigmoid's
     * derivative. Ask with the node whose buffer holds the value ({@link #resultOf}).
     */
    public boolean seedsPreActivation(Node result) {
        for (Node n : seedsPreActivation) if (resultOf(n) == result) return true;
        return false;
    }
}
