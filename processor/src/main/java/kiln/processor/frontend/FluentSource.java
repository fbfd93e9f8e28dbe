package kiln.processor.frontend;

import com.sun.source.tree.CompilationUnitTree;
import com.sun.source.tree.Tree;
import com.sun.source.util.Trees;
import java.util.List;
import java.util.Map;
import javax.annotation.processing.Messager;
import javax.lang.model.element.ExecutableElement;
import javax.lang.model.element.TypeElement;
import javax.tools.Diagnostic;
import kiln.dsl.fluent.ModelSpec;
import kiln.ir.GraphBuilder;
import kiln.ir.IrException;

/**
 * What the fluent front end read from one {@code @Model} method: the evaluated chain, the model's
 * name (the method's, capitalised), the training defaults, and the call that declared each node,
 * so that IR errors point at the DSL call.
 */
public record FluentSource(
        ExecutableElement method,
        TypeElement owner,
        String modelName,
        ModelSpec spec,
        TrainingDefaults defaults,
        boolean providesData,
        Map<String, List<Tree>> declaredAt,
        CompilationUnitTree unit) {

    public GraphBuilder graph() {
        return spec.graph(modelName);
    }

    /** Reports an IR error at the call that declared the node at fault, else on the method. */
    public void report(IrException e, Trees trees, Messager messager) {
        report(Diagnostic.Kind.ERROR, e.node(), e.getMessage(), trees, messager);
    }

    /** Reports an IR warning at the call that declared its node, else on the method. */
    public void report(kiln.ir.IrWarning w, Trees trees, Messager messager) {
        report(Diagnostic.Kind.WARNING, w.node(), w.message(), trees, messager);
    }

    private void report(Diagnostic.Kind kind, String node, String message, Trees trees, Messager messager) {
        List<Tree> sites = node == null ? null : declaredAt.get(node);
        if (sites == null || sites.isEmpty()) {
            messager.printMessage(kind, message, method);
            return;
        }
        // A name declared twice fails as a duplicate: point at the second declaration.
        trees.printMessage(kind, message, sites.get(Math.min(1, sites.size() - 1)), unit);
    }
}
