package kiln.dsl.fluent;

import java.util.List;
import java.util.Optional;
import kiln.ir.GraphBuilder;
import kiln.ir.NodeOptions;
import kiln.ir.Op;

/**
 * A finished fluent model: its node declarations in the order the chain made them. Immutable.
 * What a {@code @Model} method returns; at run time, what {@code InProcessCompiler} compiles.
 */
public final class ModelSpec {
    /** One node: its name, its op, the names of the nodes it reads, and its options (output, parameters). */
    public record Declaration(String name, Op op, List<String> inputs, NodeOptions options) {
        public Declaration {
            inputs = List.copyOf(inputs);
        }

        public Declaration(String name, Op op, List<String> inputs) {
            this(name, op, inputs, NodeOptions.NONE);
        }
    }

    /** The name of a model whose chain started at {@code input(...)}, when it is compiled at run time. */
    public static final String UNNAMED = "Fluent";

    private final String name;
    private final List<Declaration> declarations;

    ModelSpec(String name, List<Declaration> declarations) {
        this.name = name;
        this.declarations = List.copyOf(declarations);
    }

    /** The name given to {@code Kiln.model(name)}; empty for a chain started at {@code input(...)}. */
    public Optional<String> name() {
        return Optional.ofNullable(name);
    }

    public List<Declaration> declarations() {
        return declarations;
    }

    /** The declarations, in order, as an unchecked graph of model {@code modelName}; {@code build()} checks it. */
    public GraphBuilder graph(String modelName) {
        GraphBuilder graph = new GraphBuilder(modelName);
        for (Declaration d : declarations) graph.add(d.name(), d.op(), d.inputs(), d.options());
        return graph;
    }

    /** One line per node, e.g. {@code hidden1 = dense(image)}. */
    @Override
    public String toString() {
        StringBuilder sb = new StringBuilder();
        for (Declaration d : declarations) {
            sb.append(d.name()).append(" = ").append(d.op().kind()).append('(')
                    .append(String.join(", ", d.inputs())).append(")\n");
        }
        return sb.toString();
    }
}
