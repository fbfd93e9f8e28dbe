package kiln.processor;

import com.google.auto.service.AutoService;
import com.palantir.javapoet.ClassName;
import com.palantir.javapoet.CodeBlock;
import com.palantir.javapoet.TypeSpec;
import com.sun.source.util.Trees;
import java.io.IOException;
import java.util.HashSet;
import java.util.Set;
import javax.annotation.processing.AbstractProcessor;
import javax.annotation.processing.Processor;
import javax.annotation.processing.RoundEnvironment;
import javax.annotation.processing.SupportedAnnotationTypes;
import javax.lang.model.SourceVersion;
import javax.lang.model.element.Element;
import javax.lang.model.element.ElementKind;
import javax.lang.model.element.ExecutableElement;
import javax.lang.model.element.TypeElement;
import javax.tools.Diagnostic;
import kiln.ir.Graph;
import kiln.ir.IrException;
import kiln.processor.codegen.GeneratedSource;
import kiln.processor.codegen.MainEmitter;
import kiln.processor.codegen.ModelEmitter;
import kiln.processor.frontend.AnnotationReader;
import kiln.processor.frontend.FluentReader;
import kiln.processor.frontend.FluentSource;
import kiln.processor.frontend.LanguageModels;
import kiln.processor.frontend.ModelSource;

/**
 * The build-time compiler: for each {@code @Model} class, reads the declaration into the IR,
 * checks it (errors point at the offending field and attribute), then emits the fused model class
 * and its training main next to it. A {@code @Model} method is a fluent model: its body is
 * evaluated into the same IR (errors point at the DSL call) and emitted the same way.
 */
@AutoService(Processor.class)
@SupportedAnnotationTypes("kiln.dsl.Model")
public final class ModelProcessor extends AbstractProcessor {
    @Override
    public SourceVersion getSupportedSourceVersion() {
        return SourceVersion.latestSupported();
    }

    @Override
    public boolean process(Set<? extends TypeElement> annotations, RoundEnvironment round) {
        for (Element e : round.getElementsAnnotatedWith(kiln.dsl.Model.class)) {
            if (e.getKind() == ElementKind.METHOD) {
                compileFluent((ExecutableElement) e);
                continue;
            }
            if (e.getKind() != ElementKind.CLASS) {
                error(e, "@Model goes on a class whose fields declare the nodes, or on a static method returning"
                        + " a fluent ModelSpec");
                continue;
            }
            compile((TypeElement) e);
        }
        return true;
    }

    private void compile(TypeElement type) {
        AnnotationReader reader = new AnnotationReader(processingEnv.getElementUtils(), processingEnv.getTypeUtils());
        ModelSource source = reader.read(type);
        if (!reader.problems().isEmpty()) {
            for (AnnotationReader.Problem p : reader.problems()) {
                processingEnv.getMessager().printMessage(Diagnostic.Kind.ERROR, p.message(), p.element(), p.annotation());
            }
            return;
        }
        Graph graph;
        try {
            graph = source.graph().build();
            if (LanguageModels.isText(source.defaults().data())) LanguageModels.check(graph);
        } catch (IrException ex) {
            ModelSource.Position at = source.positionOf(ex);
            processingEnv.getMessager().printMessage(Diagnostic.Kind.ERROR, ex.getMessage(), at.element(), at.annotation(),
                    at.value());
            return;
        }
        for (kiln.ir.IrWarning w : graph.warnings()) {
            ModelSource.Position at = source.positionOf(new IrException(w.node(), w.attribute(), w.message()));
            processingEnv.getMessager().printMessage(Diagnostic.Kind.WARNING, w.message(), at.element(), at.annotation(), at.value());
        }
        ClassName declaredBy = ClassName.get(type);
        write(declaredBy, new ModelEmitter(graph, declaredBy).emit(), type);
        if (hasData(source.defaults(), source.providesData())) {
            write(declaredBy, MainEmitter.emit(declaredBy, graph.name(), source.defaults(), source.providesData(), source.reports()), type);
        }
    }

    /** Fluent models generated so far, by qualified name: two methods of one name in a package would clash. */
    private final Set<String> fluentModels = new HashSet<>();

    /** A fluent model: the method's body evaluated into the same declarations, then the same checks and code. */
    private void compileFluent(ExecutableElement method) {
        FluentReader reader;
        try {
            reader = new FluentReader(processingEnv);
        } catch (IllegalArgumentException notJavac) {
            error(method, "fluent @Model methods are read from javac's trees; compile them with javac");
            return;
        }
        FluentSource source = reader.read(method);
        if (source == null) return;
        Graph graph;
        try {
            graph = source.graph().build();
            if (LanguageModels.isText(source.defaults().data())) LanguageModels.check(graph);
        } catch (IrException ex) {
            source.report(ex, Trees.instance(processingEnv), processingEnv.getMessager());
            return;
        }
        for (kiln.ir.IrWarning w : graph.warnings()) source.report(w, Trees.instance(processingEnv), processingEnv.getMessager());
        ClassName owner = ClassName.get(source.owner());
        ClassName named = ClassName.get(owner.packageName(), source.modelName());
        // (Not "does <Name>Model exist": a previous build's class may be on the class path.)
        TypeElement sameName = processingEnv.getElementUtils().getTypeElement(named.canonicalName());
        if (!fluentModels.add(named.canonicalName())
                || (sameName != null && sameName.getAnnotation(kiln.dsl.Model.class) != null)) {
            error(method, "another model in package " + owner.packageName() + " is named " + named.simpleName()
                    + ", so both would generate " + named.simpleName() + "Model: rename the method");
            return;
        }
        CodeBlock origin = CodeBlock.of("{@link $T#$L()}", owner, method.getSimpleName());
        write(owner, new ModelEmitter(graph, named, origin).emit(), source.owner());
        if (hasData(source.defaults(), source.providesData())) {
            write(owner, MainEmitter.emit(named, owner, graph.name(), source.defaults(), source.providesData(), false), source.owner());
        }
    }

    /** A model without data (no data set named, no DataSource of its own) is used from code: it gets no main. */
    private static boolean hasData(kiln.processor.frontend.TrainingDefaults defaults, boolean providesData) {
        return !defaults.data().isEmpty() || providesData;
    }

    private void write(ClassName declaredBy, TypeSpec spec, TypeElement origin) {
        try {
            GeneratedSource.file(declaredBy.packageName(), spec.toBuilder().addOriginatingElement(origin).build())
                    .writeTo(processingEnv.getFiler());
        } catch (IOException ex) {
            error(origin, "cannot write " + spec.name() + ": " + ex.getMessage());
        }
    }

    private void error(Element e, String message) {
        processingEnv.getMessager().printMessage(Diagnostic.Kind.ERROR, message, e);
    }
}
