package kiln.processor.autodiff;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import kiln.dsl.LossKind;
import kiln.ir.Graph;
import kiln.ir.LossOp;
import kiln.ir.Node;
import kiln.processor.fusion.FusionPlan;

/**
 * Reverse-mode autodiff over the graph: the order in which rules run backward, and for every
 * gradient a rule writes, whether it is the first contribution (overwrite) or a later one (add).
 *
 * <p>The loss terms run first (in the loss pass, before backward), in declaration order; then the
 * outputs that no term seeds are zeroed, so that a caller can add to any output's gradient; then
 * every other rule, consumers before producers. A node read by several others (a residual branch,
 * a code read by the decoder and a penalty) thus sums its gradients without a zeroing pass.
 * Gradients are tracked per buffer, so readers of a flatten and of its input share one sum.
 * Parameters are tracked per tensor, so the nodes that share one (a tied decoder, a shared layer)
 * sum their contributions the same way.
 */
public final class GradientPlan {
    private final List<Node> backwardOrder = new ArrayList<>();
    private final List<Node> unseededOutputs = new ArrayList<>();
    private final Set<String> firstWrites = new HashSet<>();
    private final Set<String> firstParamWrites = new HashSet<>();

    public GradientPlan(Graph graph, FusionPlan fusion) {
        Set<Node> written = new HashSet<>();
        for (Node loss : graph.losses()) {
            List<Node> targets = gradientTargets(loss);
            for (int k = 0; k < targets.size(); k++) {
                if (written.add(fusion.resultOf(targets.get(k)))) firstWrites.add(key(loss, k));
            }
        }
        for (Node o : graph.outputs()) if (written.add(fusion.resultOf(o))) unseededOutputs.add(o);
        List<Node> nodes = graph.nodes();
        Set<String> paramsWritten = new HashSet<>();
        for (int i = nodes.size() - 1; i >= 0; i--) {
            Node n = nodes.get(i);
            if (n.op() instanceof LossOp || n.op() instanceof kiln.ir.InputOp || fusion.isAbsorbed(n) || graph.isUnused(n)) continue;
            backwardOrder.add(n);
            for (String which : List.of("Weight", "Bias")) {
                if (paramsWritten.add(owner(graph, n, which).name() + "#" + which)) firstParamWrites.add(n.name() + "#" + which);
            }
            if (fusion.isAlias(n)) continue; // a flatten's readers write its input's gradient buffer directly
            for (int k = 0; k < n.inputs().size(); k++) {
                if (written.add(fusion.resultOf(n.inputs().get(k)))) firstWrites.add(key(n, k));
            }
        }
    }

    /**
     * The nodes whose gradients a rule writes, in order: its inputs, except for the KL term, which
     * writes the gradients of its Gaussian's mean and log-variance.
     */
    public static List<Node> gradientTargets(Node n) {
        if (n.op() instanceof LossOp l && l.loss() == LossKind.KL_DIVERGENCE) return n.inputs().get(0).inputs();
        return n.inputs();
    }

    /** The node whose tensor {@code which} ("Weight", "Bias") node {@code n} uses: its own, or the one it shares or transposes. */
    public static Node owner(Graph graph, Node n, String which) {
        if (n.options().sharedWith() != null) return graph.node(n.options().sharedWith());
        if (n.options().transposeOf() != null && which.equals("Weight")) return graph.node(n.options().transposeOf());
        return n;
    }

    /** Nodes whose backward rule runs, consumers before producers; the loss terms seed before them. */
    public List<Node> backwardOrder() {
        return backwardOrder;
    }

    /** Outputs that no loss term seeds: the loss pass zeroes their gradients, for callers to add to. */
    public List<Node> unseededOutputs() {
        return unseededOutputs;
    }

    /** Whether {@code consumer}'s gradient for its gradient target number {@code k} is the first one written. */
    public boolean overwrites(Node consumer, int k) {
        return firstWrites.contains(key(consumer, k));
    }

    /** Whether {@code n} is the first in backward order to write the gradient of the tensor {@code which} it uses. */
    public boolean overwritesParam(Node n, String which) {
        return firstParamWrites.contains(n.name() + "#" + which);
    }

    private static String key(Node consumer, int k) {
        return consumer.name() + "#" + k;
    }
}
