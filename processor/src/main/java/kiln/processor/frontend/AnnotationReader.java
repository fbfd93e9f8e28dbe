package kiln.processor.frontend;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import javax.lang.model.element.AnnotationMirror;
import javax.lang.model.element.Element;
import javax.lang.model.element.ElementKind;
import javax.lang.model.element.TypeElement;
import javax.lang.model.element.VariableElement;
import javax.lang.model.type.TypeMirror;
import javax.lang.model.util.Elements;
import javax.lang.model.util.Types;
import kiln.dsl.Activate;
import kiln.dsl.Add;
import kiln.dsl.Dense;
import kiln.dsl.Input;
import kiln.dsl.Loss;
import kiln.dsl.Model;
import kiln.ir.ActivationOp;
import kiln.ir.AddOp;
import kiln.ir.DenseOp;
import kiln.ir.GraphBuilder;
import kiln.ir.InputOp;
import kiln.ir.LossOp;
import kiln.ir.Shape;

/**
 * The annotation front end: reads a @Model class's fields, in declaration order, into node
 * declarations. A node whose input is not named reads the node declared just before it.
 */
public final class AnnotationReader {
    /** Errors found while reading, before any graph exists (reported by the processor). */
    public record Problem(Element element, AnnotationMirror annotation, String message) {}

    private static final List<Class<? extends java.lang.annotation.Annotation>> NODE_ANNOTATIONS =
            List.of(Input.class, Dense.class, Activate.class, Add.class, Loss.class);
    private static final String DATA_SOURCE = "kiln.runtime.data.DataSource";

    private final Elements elements;
    private final Types types;
    private final List<Problem> problems = new ArrayList<>();

    public AnnotationReader(Elements elements, Types types) {
        this.elements = elements;
        this.types = types;
    }

    public List<Problem> problems() {
        return problems;
    }

    public ModelSource read(TypeElement type) {
        Model model = type.getAnnotation(Model.class);
        GraphBuilder graph = new GraphBuilder(type.getSimpleName().toString());
        Map<String, ModelSource.Declaration> declarations = new LinkedHashMap<>();
        String previous = null;
        for (Element member : type.getEnclosedElements()) {
            if (member.getKind() != ElementKind.FIELD) continue;
            List<AnnotationMirror> nodeMirrors = nodeAnnotations(member);
            if (nodeMirrors.isEmpty()) continue;
            if (nodeMirrors.size() > 1) {
                problems.add(new Problem(member, nodeMirrors.get(1), "field '" + member.getSimpleName()
                        + "' has more than one node annotation: a field declares one node"));
                continue;
            }
            String name = member.getSimpleName().toString();
            declarations.putIfAbsent(name, new ModelSource.Declaration(member, nodeMirrors.get(0)));
            declare(graph, (VariableElement) member, name, previous, nodeMirrors.get(0));
            previous = name;
        }
        checkDefaults(type, model);
        TrainingDefaults defaults = new TrainingDefaults(model.data(), model.epochs(), model.batch(), model.lr(),
                model.optimizer(), model.weightDecay(), model.seed());
        return new ModelSource(type, graph, defaults, implementsDataSource(type), declarations);
    }

    private void declare(GraphBuilder graph, VariableElement field, String name, String previous, AnnotationMirror mirror) {
        if (field.getAnnotation(Input.class) instanceof Input in) {
            graph.add(name, new InputOp(Shape.of(in.value())), List.of());
        } else if (field.getAnnotation(Dense.class) instanceof Dense d) {
            graph.add(name, new DenseOp(d.units(), d.bias(), d.activation(), d.init()), from(d.from(), previous, field, mirror));
        } else if (field.getAnnotation(Activate.class) instanceof Activate a) {
            graph.add(name, new ActivationOp(a.value()), from(a.from(), previous, field, mirror));
        } else if (field.getAnnotation(Add.class) instanceof Add a) {
            graph.add(name, new AddOp(), List.of(a.value()));
        } else if (field.getAnnotation(Loss.class) instanceof Loss l) {
            graph.add(name, new LossOp(l.value()), from(l.from(), previous, field, mirror));
        }
    }

    private List<String> from(String from, String previous, Element field, AnnotationMirror mirror) {
        if (!from.isEmpty()) return List.of(from);
        if (previous == null) {
            problems.add(new Problem(field, mirror, "'" + field.getSimpleName()
                    + "' is the first node but reads an earlier one: declare the @Input first, or name the input with from"));
            return List.of();
        }
        return List.of(previous);
    }

    private List<AnnotationMirror> nodeAnnotations(Element field) {
        List<AnnotationMirror> found = new ArrayList<>();
        for (AnnotationMirror m : field.getAnnotationMirrors()) {
            String annotation = ((TypeElement) m.getAnnotationType().asElement()).getQualifiedName().toString();
            for (Class<?> c : NODE_ANNOTATIONS) if (c.getName().equals(annotation)) found.add(m);
        }
        return found;
    }

    private void checkDefaults(TypeElement type, Model model) {
        AnnotationMirror mirror = type.getAnnotationMirrors().stream()
                .filter(m -> m.getAnnotationType().toString().equals(Model.class.getName())).findFirst().orElse(null);
        if (model.epochs() < 1) problems.add(new Problem(type, mirror, "epochs must be >= 1, got " + model.epochs()));
        if (model.batch() < 1) problems.add(new Problem(type, mirror, "batch must be >= 1, got " + model.batch()));
        if (!(model.lr() > 0) || Double.isInfinite(model.lr())) {
            problems.add(new Problem(type, mirror, "lr must be a positive number, got " + model.lr()));
        }
        if (!(model.weightDecay() >= 0)) {
            problems.add(new Problem(type, mirror, "weightDecay must be >= 0, got " + model.weightDecay()));
        }
        if (!List.of("sgd", "momentum", "nesterov", "adam").contains(model.optimizer())) {
            problems.add(new Problem(type, mirror, "unknown optimizer '" + model.optimizer()
                    + "'; use one of sgd, momentum, nesterov, adam"));
        }
        if (!List.of("", "mnist", "fashion-mnist").contains(model.data())) {
            problems.add(new Problem(type, mirror, "unknown data set '" + model.data()
                    + "'; use \"mnist\" or \"fashion-mnist\", or leave it empty and implement " + DATA_SOURCE));
        }
        if (model.data().isEmpty() && !implementsDataSource(type)) {
            problems.add(new Problem(type, mirror, "model " + type.getSimpleName() + " names no data: set @Model(data = \"mnist\")"
                    + " or let the class implement " + DATA_SOURCE));
        }
    }

    private boolean implementsDataSource(TypeElement type) {
        TypeElement dataSource = elements.getTypeElement(DATA_SOURCE);
        if (dataSource == null) return false;
        TypeMirror erased = types.erasure(dataSource.asType());
        return types.isAssignable(type.asType(), erased);
    }
}
