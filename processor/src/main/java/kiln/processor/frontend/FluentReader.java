package kiln.processor.frontend;

import com.sun.source.util.TreePath;
import com.sun.source.util.Trees;
import java.util.Locale;
import javax.annotation.processing.ProcessingEnvironment;
import javax.lang.model.element.Element;
import javax.lang.model.element.ExecutableElement;
import javax.lang.model.element.Modifier;
import javax.lang.model.element.TypeElement;
import javax.tools.Diagnostic;
import kiln.dsl.fluent.ModelSpec;
import kiln.processor.frontend.ChainEvaluator.EvaluationException;

/**
 * The fluent front end: checks a {@code @Model} method's signature and training defaults, then
 * evaluates its body on javac's trees ({@link ChainEvaluator}). Problems are reported as they
 * are found, at the method or at the expression at fault.
 */
public final class FluentReader {
    private final ProcessingEnvironment env;
    private final Trees trees;

    public FluentReader(ProcessingEnvironment env) {
        this.env = env;
        this.trees = Trees.instance(env);
    }

    /** The model's name: the method's, capitalised ({@code mnistMlp} gives {@code MnistMlp}). */
    public static String modelName(String methodName) {
        return methodName.substring(0, 1).toUpperCase(Locale.ROOT) + methodName.substring(1);
    }

    /** The evaluated model, or null when a problem was reported. */
    public FluentSource read(ExecutableElement method) {
        if (!checkSignature(method)) return null;
        TypeElement owner = (TypeElement) method.getEnclosingElement();
        AnnotationReader annotations = new AnnotationReader(env.getElementUtils(), env.getTypeUtils());
        TrainingDefaults defaults = annotations.defaults(method, owner);
        for (AnnotationReader.Problem p : annotations.problems()) {
            env.getMessager().printMessage(Diagnostic.Kind.ERROR, p.message(), p.element(), p.annotation());
        }
        if (!annotations.problems().isEmpty()) return null;
        TreePath path = trees.getPath(method);
        if (path == null) {
            error(method, "the body of " + method.getSimpleName() + "() is not in this compilation: a fluent @Model"
                    + " method is compiled from source");
            return null;
        }
        String modelName = modelName(method.getSimpleName().toString());
        ChainEvaluator evaluator = new ChainEvaluator(trees, env.getElementUtils(), env.getTypeUtils(), modelName);
        ModelSpec spec;
        try {
            spec = evaluator.run(path);
        } catch (EvaluationException e) {
            trees.printMessage(Diagnostic.Kind.ERROR, e.getMessage(), e.tree(), path.getCompilationUnit());
            return null;
        } catch (ChainEvaluator.UnresolvedException e) {
            return null; // javac reports what it could not resolve
        }
        return new FluentSource(method, owner, modelName, spec, defaults, annotations.implementsDataSource(owner),
                evaluator.declarationSites(spec), path.getCompilationUnit());
    }

    private boolean checkSignature(ExecutableElement method) {
        String name = method.getSimpleName() + "()";
        if (!method.getModifiers().contains(Modifier.STATIC)) {
            return error(method, "a fluent @Model method must be static: the processor runs " + name
                    + " without an instance");
        }
        if (!method.getParameters().isEmpty()) {
            return error(method, "a fluent @Model method takes no parameters: write sizes as constants in " + name);
        }
        if (!(env.getTypeUtils().asElement(method.getReturnType()) instanceof TypeElement returned)
                || !returned.getQualifiedName().contentEquals(ModelSpec.class.getName())) {
            return error(method, "a fluent @Model method returns a kiln.dsl.fluent.ModelSpec: the chain ending in"
                    + " loss(...)");
        }
        if (method.getModifiers().contains(Modifier.ABSTRACT)) {
            return error(method, "a fluent @Model method needs a body that returns the model");
        }
        return true;
    }

    private boolean error(Element e, String message) {
        env.getMessager().printMessage(Diagnostic.Kind.ERROR, message, e);
        return false;
    }
}
