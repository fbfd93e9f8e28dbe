package kiln.processor.autodiff;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import kiln.ir.Graph;
import kiln.ir.Node;
import kiln.processor.fusion.FusionPlan;

/**
 * Reverse-mode autodiff over the graph: the order in which op rules run backward, and for every
 * gradient an op writes, whether it is the first contribution (overwrite) or a later one (add).
 * A node read by several others (a residual branch) thus sums its gradients without a zeroing pass.
 * Gradients are tracked per buffer, so readers of a flatten and of its input share one sum.
 */
public final class GradientPlan {
    private final List<Node> backwardOrder = new ArrayList<>();
    private final Set<String> firstWrites = new HashSet<>();

    public GradientPlan(Graph graph, FusionPlan fusion) {
        Set<Node> written = new HashSet<>();
        List<Node> nodes = graph.nodes();
        for (int i = nodes.size() - 1; i >= 0; i--) {
            Node n = nodes.get(i);
            if (n == graph.lossNode() || n == graph.input() || fusion.isAbsorbed(n)) continue;
            backwardOrder.add(n);
            if (fusion.isAlias(n)) continue; // a flatten's readers write its input's gradient buffer directly
            for (int k = 0; k < n.inputs().size(); k++) {
                if (written.add(fusion.resultOf(n.inputs().get(k)))) firstWrites.add(key(n, k));
            }
        }
    }

    /** Nodes whose backward rule runs, consumers before producers; the loss seeds before them. */
    public List<Node> backwardOrder() {
        return backwardOrder;
    }

    /** Whether {@code consumer}'s gradient for its input number {@code k} is the first one written. */
    public boolean overwrites(Node consumer, int k) {
        return firstWrites.contains(key(consumer, k));
    }

    private static String key(Node consumer, int k) {
        return consumer.name() + "#" + k;
    }
}
