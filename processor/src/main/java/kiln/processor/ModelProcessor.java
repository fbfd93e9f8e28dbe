package kiln.processor;

import com.google.auto.service.AutoService;
import com.palantir.javapoet.ClassName;
import com.palantir.javapoet.JavaFile;
import com.palantir.javapoet.TypeSpec;
import java.io.IOException;
import java.util.Set;
import javax.annotation.processing.AbstractProcessor;
import javax.annotation.processing.Processor;
import javax.annotation.processing.RoundEnvironment;
import javax.annotation.processing.SupportedAnnotationTypes;
import javax.lang.model.SourceVersion;
import javax.lang.model.element.Element;
import javax.lang.model.element.ElementKind;
import javax.lang.model.element.TypeElement;
import javax.tools.Diagnostic;
import kiln.ir.Graph;
import kiln.ir.IrException;
import kiln.processor.codegen.MainEmitter;
import kiln.processor.codegen.ModelEmitter;
import kiln.processor.frontend.AnnotationReader;
import kiln.processor.frontend.ModelSource;

/**
 * The build-time compiler: for each {@code @Model} class, reads the declaration into the IR,
 * checks it (errors point at the offending field and attribute), then emits the fused model class
 * and its training main next to it.
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
            if (e.getKind() != ElementKind.CLASS) {
                error(e, "@Model goes on a class whose fields declare the nodes");
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
        } catch (IrException ex) {
            ModelSource.Position at = source.positionOf(ex);
            processingEnv.getMessager().printMessage(Diagnostic.Kind.ERROR, ex.getMessage(), at.element(), at.annotation(),
                    at.value());
            return;
        }
        ClassName declaredBy = ClassName.get(type);
        write(declaredBy, new ModelEmitter(graph, declaredBy).emit(), type);
        write(declaredBy, MainEmitter.emit(declaredBy, graph.name(), source.defaults(), source.providesData()), type);
    }

    private void write(ClassName declaredBy, TypeSpec spec, TypeElement origin) {
        try {
            JavaFile.builder(declaredBy.packageName(), spec.toBuilder().addOriginatingElement(origin).build())
                    .skipJavaLangImports(true).indent("    ").build().writeTo(processingEnv.getFiler());
        } catch (IOException ex) {
            error(origin, "cannot write " + spec.name() + ": " + ex.getMessage());
        }
    }

    private void error(Element e, String message) {
        processingEnv.getMessager().printMessage(Diagnostic.Kind.ERROR, message, e);
    }
}
