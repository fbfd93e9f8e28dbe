package kiln.ir;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Collects node declarations from a front end (annotations or the fluent DSL) and turns them into
 * a checked {@link Graph}: names resolved, cycles rejected, shapes inferred, every node feeding the
 * loss. Inputs may name nodes declared later; the graph is ordered topologically, ties kept in
 * declaration order.
 */
public final class GraphBuilder {
    private record Decl(String name, Op op, List<String> inputs, int order) {}

    private final String modelName;
    private final Map<String, Decl> decls = new LinkedHashMap<>();
    private IrException firstDuplicate;

    public GraphBuilder(String modelName) {
        this.modelName = modelName;
    }

    /** Declares node {@code name} computing {@code op} over the named inputs. */
    public GraphBuilder add(String name, Op op, List<String> inputs) {
        if (decls.containsKey(name)) {
            if (firstDuplicate == null) {
                firstDuplicate = new IrException(name, "duplicate node name '" + name + "': each node needs its own name");
            }
            return this;
        }
        decls.put(name, new Decl(name, op, List.copyOf(inputs), decls.size()));
        return this;
    }

    public Graph build() throws IrException {
        if (firstDuplicate != null) throw firstDuplicate;
        checkReferences();
        List<Decl> order = topologicalOrder();
        Map<String, Node> nodes = new HashMap<>();
        List<Node> list = new ArrayList<>();
        Node input = null;
        Node loss = null;
        for (Decl d : order) {
            List<Node> ins = new ArrayList<>();
            for (String in : d.inputs()) ins.add(nodes.get(in));
            Node n = new Node(list.size(), d.name(), d.op(), ins);
            n.setShape(d.op().outputShape(d.name(), ins));
            for (Node in : ins) in.addConsumer(n);
            nodes.put(d.name(), n);
            list.add(n);
            if (d.op() instanceof InputOp) {
                if (input != null) {
                    throw new IrException(d.name(), "a model has exactly one input, but '" + input.name()
                            + "' and '" + d.name() + "' are both inputs");
                }
                input = n;
            }
            if (d.op() instanceof LossOp) {
                if (loss != null) {
                    throw new IrException(d.name(), "a model has exactly one loss, but '" + loss.name()
                            + "' and '" + d.name() + "' are both losses");
                }
                loss = n;
            }
        }
        if (input == null) throw new IrException(null, "model " + modelName + " has no input node: declare one with @Input");
        if (loss == null) {
            throw new IrException(null, "model " + modelName + " has no loss: declare one with @Loss on the output, e.g."
                    + " @Loss(LossKind.SOFTMAX_CROSS_ENTROPY)");
        }
        if (!loss.consumers().isEmpty()) {
            throw new IrException(loss.consumers().get(0).name(), "from",
                    "'" + loss.name() + "' is the loss; no node can read it");
        }
        checkAllFeedLoss(list, loss);
        return new Graph(modelName, list, input, loss);
    }

    private void checkReferences() throws IrException {
        for (Decl d : decls.values()) {
            for (String in : d.inputs()) {
                if (!decls.containsKey(in)) {
                    throw new IrException(d.name(), "from", "unknown node '" + in + "'; declared nodes are "
                            + String.join(", ", decls.keySet()));
                }
                if (in.equals(d.name())) {
                    throw new IrException(d.name(), "from", "cycle: '" + in + "' reads itself");
                }
            }
        }
    }

    /** Kahn's algorithm; what is left over lies on a cycle, reported along one of its paths. */
    private List<Decl> topologicalOrder() throws IrException {
        Map<String, Integer> pending = new HashMap<>();
        Map<String, List<Decl>> readers = new HashMap<>();
        for (Decl d : decls.values()) {
            pending.put(d.name(), d.inputs().size());
            for (String in : d.inputs()) readers.computeIfAbsent(in, k -> new ArrayList<>()).add(d);
        }
        List<Decl> order = new ArrayList<>();
        java.util.PriorityQueue<Decl> ready = new java.util.PriorityQueue<>(
                java.util.Comparator.comparingInt(Decl::order));
        for (Decl d : decls.values()) if (d.inputs().isEmpty()) ready.add(d);
        while (!ready.isEmpty()) {
            Decl d = ready.poll();
            order.add(d);
            for (Decl r : readers.getOrDefault(d.name(), List.of())) {
                if (pending.merge(r.name(), -1, Integer::sum) == 0) ready.add(r);
            }
        }
        if (order.size() < decls.size()) {
            Decl start = decls.values().stream().filter(d -> pending.get(d.name()) > 0).findFirst().orElseThrow();
            throw new IrException(start.name(), "from", "cycle: " + describeCycle(start, pending));
        }
        return order;
    }

    private String describeCycle(Decl start, Map<String, Integer> pending) {
        Deque<String> path = new ArrayDeque<>();
        Decl at = start;
        while (!path.contains(at.name())) {
            path.addLast(at.name());
            at = decls.get(at.inputs().stream().filter(i -> pending.get(i) > 0).findFirst().orElseThrow());
        }
        List<String> cycle = new ArrayList<>(path);
        cycle = cycle.subList(cycle.indexOf(at.name()), cycle.size());
        List<String> forward = new ArrayList<>(cycle.reversed());
        // In data-flow order, starting from the node the error is reported on.
        java.util.Collections.rotate(forward, -Math.max(0, forward.indexOf(start.name())));
        forward.add(forward.get(0));
        return String.join(" -> ", forward);
    }

    private static void checkAllFeedLoss(List<Node> nodes, Node loss) throws IrException {
        boolean[] feeds = new boolean[nodes.size()];
        feeds[loss.index()] = true;
        for (int i = nodes.size() - 1; i >= 0; i--) {
            if (!feeds[i]) continue;
            for (Node in : nodes.get(i).inputs()) feeds[in.index()] = true;
        }
        for (Node n : nodes) {
            if (!feeds[n.index()]) {
                throw new IrException(n.name(), "node '" + n.name() + "' does not feed the loss '" + loss.name()
                        + "': connect it or remove it");
            }
        }
    }
}
