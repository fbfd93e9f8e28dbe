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
 * a checked {@link Graph}: names resolved, cycles rejected, shapes inferred, parameter sharing
 * checked, every input read and every node feeding a loss term or an output. Inputs may name
 * nodes declared later; the graph is ordered topologically, ties kept in declaration order.
 */
public final class GraphBuilder {
    private record Decl(String name, Op op, List<String> inputs, NodeOptions options, int order) {}

    private final String modelName;
    private final Map<String, Decl> decls = new LinkedHashMap<>();
    private IrException firstDuplicate;

    public GraphBuilder(String modelName) {
        this.modelName = modelName;
    }

    /** Declares node {@code name} computing {@code op} over the named inputs. */
    public GraphBuilder add(String name, Op op, List<String> inputs) {
        return add(name, op, inputs, NodeOptions.NONE);
    }

    /** Declares node {@code name} computing {@code op} over the named inputs, with its options (output, parameters). */
    public GraphBuilder add(String name, Op op, List<String> inputs, NodeOptions options) {
        if (decls.containsKey(name)) {
            if (firstDuplicate == null) {
                firstDuplicate = new IrException(name, "duplicate node name '" + name + "': each node needs its own name");
            }
            return this;
        }
        decls.put(name, new Decl(name, op, List.copyOf(inputs), options, decls.size()));
        return this;
    }

    public Graph build() throws IrException {
        if (firstDuplicate != null) throw firstDuplicate;
        checkReferences();
        List<Decl> order = topologicalOrder();
        Map<String, Node> nodes = new HashMap<>();
        List<Node> list = new ArrayList<>();
        List<IrWarning> warnings = new ArrayList<>();
        for (Decl d : order) {
            List<Node> ins = new ArrayList<>();
            for (String in : d.inputs()) ins.add(nodes.get(in));
            Node n = new Node(list.size(), d.name(), d.op(), ins, d.options());
            n.setShape(d.op().outputShape(d.name(), ins));
            warnings.addAll(d.op().warnings(d.name(), ins));
            for (Node in : ins) in.addConsumer(n);
            nodes.put(d.name(), n);
            list.add(n);
        }
        Graph graph = new Graph(modelName, list, warnings);
        if (graph.inputs().isEmpty()) {
            throw new IrException(null, "model " + modelName + " has no input node: declare one with @Input");
        }
        for (Node loss : graph.losses()) {
            if (!loss.consumers().isEmpty()) {
                throw new IrException(loss.consumers().get(0).name(), "from", "'" + loss.name() + "' is a loss term; no node can read it");
            }
        }
        if (graph.losses().isEmpty() && graph.outputs().isEmpty()) {
            throw new IrException(null, "model " + modelName + " has no loss and no output: declare a @Loss on what it"
                    + " learns, e.g. @Loss(LossKind.SOFTMAX_CROSS_ENTROPY), or mark with @Output the node other code reads");
        }
        checkDataLosses(graph);
        for (Node n : list) checkOptions(n, nodes);
        checkTokenInputs(graph);
        checkAllUsed(list, graph, warnings);
        return graph;
    }

    /** The data carries one set of labels or targets: at most one term may compare with it. */
    private static void checkDataLosses(Graph graph) throws IrException {
        Node first = null;
        for (Node l : graph.losses()) {
            if (!((LossOp) l.op()).loss().hasTarget() || l.inputs().size() > 1) continue;
            if (first != null) {
                throw new IrException(l.name(), "target", "'" + first.name() + "' and '" + l.name() + "' both compare with the"
                        + " data's labels or targets, which a model has one set of: give '" + l.name() + "' a target node");
            }
            first = l;
        }
    }

    private static void checkOptions(Node n, Map<String, Node> nodes) throws IrException {
        NodeOptions o = n.options();
        if (o.output() && (n.op() instanceof InputOp || n.op() instanceof LossOp)) {
            throw new IrException(n.name(), "'" + n.name() + "' is " + (n.op() instanceof InputOp ? "an input" : "a loss term")
                    + ", which cannot be an output: mark a node that computes something");
        }
        if (!ParamShapes.hasParams(n) && (o.hasParamSettings() || o.borrowsParams())) {
            throw new IrException(n.name(), o.sharedWith() != null ? "sharedWith" : o.transposeOf() != null ? "transposeOf"
                    : o.frozen() ? "frozen" : o.lrScale() != 1 ? "lrScale" : "weightDecay",
                    "'" + n.name() + "' is a " + n.op().kind() + " node, which has no parameters to train differently");
        }
        if (!(o.lrScale() > 0) || Double.isInfinite(o.lrScale())) {
            throw new IrException(n.name(), "lrScale", "lrScale must be a number > 0, got " + o.lrScale());
        }
        if (o.weightDecay() < 0 || Double.isInfinite(o.weightDecay())) {
            throw new IrException(n.name(), "weightDecay", "weightDecay must be >= 0 (or left out for the run's), got " + o.weightDecay());
        }
        if (!o.borrowsParams()) return;
        String attribute = o.sharedWith() != null ? "sharedWith" : "transposeOf";
        if (o.sharedWith() != null && o.transposeOf() != null) {
            throw new IrException(n.name(), "transposeOf", "'" + n.name() + "' cannot both share and transpose another node's weight");
        }
        if (o.hasParamSettings()) {
            throw new IrException(n.name(), o.frozen() ? "frozen" : o.lrScale() != 1 ? "lrScale" : "weightDecay",
                    "'" + n.name() + "' uses the parameters of '" + (o.sharedWith() != null ? o.sharedWith() : o.transposeOf())
                            + "': set frozen, lrScale and weightDecay there");
        }
        String ownerName = o.sharedWith() != null ? o.sharedWith() : o.transposeOf();
        Node owner = nodes.get(ownerName);
        if (owner == null) {
            throw new IrException(n.name(), attribute, "unknown node '" + ownerName + "'; declared nodes are "
                    + String.join(", ", nodes.keySet()));
        }
        if (owner == n) throw new IrException(n.name(), attribute, "'" + n.name() + "' cannot use its own parameters as another's");
        if (owner.options().borrowsParams()) {
            String root = owner.options().sharedWith() != null ? owner.options().sharedWith() : owner.options().transposeOf();
            throw new IrException(n.name(), attribute, "'" + ownerName + "' itself uses the parameters of '" + root
                    + "': refer to '" + root + "' directly");
        }
        Map<String, Shape> mine = ParamShapes.of(n), theirs = ParamShapes.of(owner);
        if (mine.isEmpty() || theirs.isEmpty()) {
            Node odd = mine.isEmpty() ? n : owner;
            throw new IrException(n.name(), attribute, "a " + odd.op().kind() + " node ('" + odd.name() + "') cannot share its"
                    + " parameters; dense layers and embeddings can");
        }
        if (o.transposeOf() != null) {
            if (!(n.op() instanceof DenseOp) || !(owner.op() instanceof DenseOp)) {
                throw new IrException(n.name(), attribute, "transposeOf ties two dense layers, but '"
                        + (n.op() instanceof DenseOp ? owner.name() : n.name()) + "' is a "
                        + (n.op() instanceof DenseOp ? owner : n).op().kind() + " node");
            }
            Shape w = mine.get("weight"), t = theirs.get("weight");
            if (w.dim(0) != t.dim(1) || w.dim(1) != t.dim(0)) {
                throw new IrException(n.name(), attribute, "'" + n.name() + "' needs a weight " + w + " but '" + ownerName
                        + "'.weight transposed is [" + t.dim(1) + ", " + t.dim(0) + "]: its units must be " + t.dim(1)
                        + " and its input " + t.dim(0) + " wide");
            }
            return;
        }
        for (Map.Entry<String, Shape> e : mine.entrySet()) {
            Shape other = theirs.get(e.getKey());
            if (other == null) {
                throw new IrException(n.name(), attribute, "'" + n.name() + "' has a " + e.getKey() + " but '" + ownerName
                        + "' has none to share: drop it (bias = false)");
            }
            if (!other.equals(e.getValue())) {
                throw new IrException(n.name(), attribute, "'" + n.name() + "'." + e.getKey() + " would be " + e.getValue() + " but '"
                        + ownerName + "'." + e.getKey() + " is " + other + ": shared parameters need one shape");
            }
        }
    }

    /** Token ids are whole numbers: only lookups (embedding, one-hot) read them, and lookups read nothing else. */
    private static void checkTokenInputs(Graph graph) throws IrException {
        for (Node in : graph.inputs()) {
            if (graph.kindOf(in) != kiln.dsl.InputKind.TOKENS) continue;
            for (Node c : in.consumers()) {
                boolean lookup = c.op() instanceof EmbeddingOp || c.op() instanceof OneHotOp;
                boolean loss = c.op() instanceof LossOp;
                if (!lookup && !loss) {
                    throw new IrException(c.name(), "from", "'" + in.name() + "' carries token ids, which only @Embedding or"
                            + " @OneHot read, but '" + c.name() + "' is a " + c.op().kind() + " node");
                }
            }
        }
        for (Node n : graph.nodes()) {
            if (!(n.op() instanceof EmbeddingOp || n.op() instanceof OneHotOp)) continue;
            Node in = n.inputs().get(0);
            if (in.op() instanceof InputOp && ((InputOp) in.op()).inputKind() != kiln.dsl.InputKind.AUTO
                    && ((InputOp) in.op()).inputKind() != kiln.dsl.InputKind.TOKENS) {
                throw new IrException(n.name(), "from", n.op().kind() + " reads token ids, but '" + in.name()
                        + "' is declared as " + ((InputOp) in.op()).inputKind() + ": declare it kind = TOKENS (or AUTO)");
            }
        }
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

    /**
     * Every input is read (an error: data would be fed for nothing), and every node contributes to
     * a loss term or a declared output (a warning: a user sketching a model is not blocked; the
     * node is computed forward, so it can be read, but gets no backward pass).
     */
    private static void checkAllUsed(List<Node> nodes, Graph graph, List<IrWarning> warnings) throws IrException {
        boolean[] used = new boolean[nodes.size()];
        for (Node l : graph.losses()) used[l.index()] = true;
        for (Node o : graph.outputs()) used[o.index()] = true;
        for (int i = nodes.size() - 1; i >= 0; i--) {
            if (!used[i]) continue;
            for (Node in : nodes.get(i).inputs()) used[in.index()] = true;
        }
        for (Node in : graph.inputs()) {
            if (in.consumers().isEmpty()) {
                throw new IrException(in.name(), "input '" + in.name() + "' is read by no node: connect it or remove it");
            }
        }
        for (Node n : nodes) {
            if (!used[n.index()] && !(n.op() instanceof InputOp)) {
                graph.markUnused(n);
                warnings.add(new IrWarning(n.name(), null, "node '" + n.name() + "' feeds no loss term and no output, so it"
                        + " is not trained: connect it, remove it, or mark it @Output"));
            }
        }
    }
}
