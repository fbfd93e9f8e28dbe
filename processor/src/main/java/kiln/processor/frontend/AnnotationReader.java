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
import kiln.dsl.AvgPool2d;
import kiln.dsl.BatchNorm;
import kiln.dsl.Conv2d;
import kiln.dsl.ConvTranspose2d;
import kiln.dsl.Dropout;
import kiln.dsl.Flatten;
import kiln.dsl.GlobalAvgPool2d;
import kiln.dsl.MaxPool2d;
import kiln.dsl.Dense;
import kiln.dsl.Input;
import kiln.dsl.Loss;
import kiln.dsl.Model;
import kiln.dsl.Embedding;
import kiln.dsl.Gru;
import kiln.dsl.Lstm;
import kiln.dsl.OneHot;
import kiln.dsl.Rnn;
import kiln.dsl.Concat;
import kiln.dsl.GaussianNoise;
import kiln.dsl.GaussianSample;
import kiln.dsl.LeakyRelu;
import kiln.dsl.MaskingNoise;
import kiln.dsl.Multiply;
import kiln.dsl.Output;
import kiln.dsl.Params;
import kiln.dsl.Slice;
import kiln.ir.ActivationOp;
import kiln.ir.AddOp;
import kiln.ir.BatchNormOp;
import kiln.ir.Conv2dOp;
import kiln.ir.ConvTranspose2dOp;
import kiln.ir.DropoutOp;
import kiln.ir.FlattenOp;
import kiln.ir.GlobalAvgPoolOp;
import kiln.ir.Pool2dOp;
import kiln.ir.DenseOp;
import kiln.ir.GraphBuilder;
import kiln.ir.InputOp;
import kiln.ir.LossOp;
import kiln.ir.Shape;
import kiln.ir.EmbeddingOp;
import kiln.ir.OneHotOp;
import kiln.ir.RecurrentOp;
import kiln.ir.ConcatOp;
import kiln.ir.GaussianSampleOp;
import kiln.ir.LeakyReluOp;
import kiln.ir.MultiplyOp;
import kiln.ir.NodeOptions;
import kiln.ir.NoiseOp;
import kiln.ir.SliceOp;

/**
 * The annotation front end: reads a @Model class's fields, in declaration order, into node
 * declarations. A node whose input is not named reads the node declared just before it.
 */
public final class AnnotationReader {
    /** Errors found while reading, before any graph exists (reported by the processor). */
    public record Problem(Element element, AnnotationMirror annotation, String message) {}

    private static final List<Class<? extends java.lang.annotation.Annotation>> NODE_ANNOTATIONS =
            List.of(Input.class, Dense.class, Activate.class, Add.class, Loss.class,
                    Conv2d.class, ConvTranspose2d.class, MaxPool2d.class, AvgPool2d.class, GlobalAvgPool2d.class,
                    Flatten.class, Dropout.class, BatchNorm.class,
                    Rnn.class, Lstm.class, Gru.class, Embedding.class, OneHot.class,
                    GaussianNoise.class, MaskingNoise.class, GaussianSample.class, Multiply.class, LeakyRelu.class,
                    Concat.class, Slice.class);
    private static final String DATA_SOURCE = "kiln.runtime.data.DataSource";
    private static final String REPORT = "kiln.runtime.cli.Report";

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
            declare(graph, (VariableElement) member, name, previous, nodeMirrors.get(0), options(member));
            previous = name;
        }
        checkConstructible(type);
        TrainingDefaults defaults = defaults(type, type);
        boolean reports = implementsReport(type);
        if (reports && LanguageModels.isText(defaults.data())) {
            problems.add(new Problem(type, null, "@Model class " + type.getSimpleName() + " is a character language model, whose"
                    + " main writes text; " + REPORT + " applies to models trained on a data set"));
        }
        return new ModelSource(type, graph, defaults, implementsDataSource(type), reports, declarations);
    }

    /** What {@code @Output} and {@code @Params} next to the node annotation say. */
    private static NodeOptions options(Element field) {
        Params p = field.getAnnotation(Params.class);
        NodeOptions o = p == null ? NodeOptions.NONE
                : new NodeOptions(false, p.frozen(), p.lrScale(), p.weightDecay() < 0 ? Double.NaN : p.weightDecay(),
                        p.sharedWith(), p.transposeOf());
        return field.getAnnotation(Output.class) != null ? o.asOutput() : o;
    }

    private void declare(GraphBuilder graph, VariableElement field, String name, String previous, AnnotationMirror mirror,
                         NodeOptions options) {
        declareOp((n, op, inputs) -> graph.add(n, op, inputs, options), field, name, previous, mirror);
    }

    /** Where a field's node declaration goes. */
    private interface Declarations {
        void add(String name, kiln.ir.Op op, List<String> inputs);
    }

    private void declareOp(Declarations graph, VariableElement field, String name, String previous, AnnotationMirror mirror) {
        if (field.getAnnotation(Input.class) instanceof Input in) {
            graph.add(name, new InputOp(Shape.of(in.value()), in.kind()), List.of());
        } else if (field.getAnnotation(GaussianNoise.class) instanceof GaussianNoise g) {
            graph.add(name, new NoiseOp(NoiseOp.Kind.GAUSSIAN, g.value()), from(g.from(), previous, field, mirror));
        } else if (field.getAnnotation(MaskingNoise.class) instanceof MaskingNoise m) {
            graph.add(name, new NoiseOp(NoiseOp.Kind.MASKING, m.value()), from(m.from(), previous, field, mirror));
        } else if (field.getAnnotation(GaussianSample.class) instanceof GaussianSample g) {
            graph.add(name, new GaussianSampleOp(), List.of(g.mean(), g.logVariance()));
        } else if (field.getAnnotation(Multiply.class) instanceof Multiply m) {
            graph.add(name, new MultiplyOp(), List.of(m.value()));
        } else if (field.getAnnotation(LeakyRelu.class) instanceof LeakyRelu l) {
            graph.add(name, new LeakyReluOp(l.slope()), from(l.from(), previous, field, mirror));
        } else if (field.getAnnotation(Concat.class) instanceof Concat c) {
            graph.add(name, new ConcatOp(c.axis()), List.of(c.value()));
        } else if (field.getAnnotation(Slice.class) instanceof Slice sl) {
            graph.add(name, new SliceOp(sl.axis(), sl.start(), sl.end()), from(sl.from(), previous, field, mirror));
        } else if (field.getAnnotation(Dense.class) instanceof Dense d) {
            graph.add(name, new DenseOp(d.units(), d.bias(), d.activation(), d.init()), from(d.from(), previous, field, mirror));
        } else if (field.getAnnotation(Activate.class) instanceof Activate a) {
            graph.add(name, new ActivationOp(a.value()), from(a.from(), previous, field, mirror));
        } else if (field.getAnnotation(Add.class) instanceof Add a) {
            graph.add(name, new AddOp(), List.of(a.value()));
        } else if (field.getAnnotation(Loss.class) instanceof Loss l) {
            List<String> inputs = new ArrayList<>(from(l.from(), previous, field, mirror));
            if (!l.target().isEmpty()) inputs.add(l.target());
            graph.add(name, new LossOp(l.value(), l.weight(), l.reduction()), inputs);
        } else if (field.getAnnotation(Conv2d.class) instanceof Conv2d c) {
            graph.add(name, new Conv2dOp(c.inChannels(), c.outChannels(), c.kernel(), c.stride(), c.padding(), c.bias(),
                    c.activation(), c.init()), from(c.from(), previous, field, mirror));
        } else if (field.getAnnotation(ConvTranspose2d.class) instanceof ConvTranspose2d c) {
            graph.add(name, new ConvTranspose2dOp(c.inChannels(), c.outChannels(), c.kernel(), c.stride(), c.padding(),
                    c.outputPadding(), c.bias(), c.activation(), c.init()), from(c.from(), previous, field, mirror));
        } else if (field.getAnnotation(MaxPool2d.class) instanceof MaxPool2d p) {
            graph.add(name, new Pool2dOp(Pool2dOp.Kind.MAX, p.kernel(), p.stride() == 0 ? p.kernel() : p.stride()),
                    from(p.from(), previous, field, mirror));
        } else if (field.getAnnotation(AvgPool2d.class) instanceof AvgPool2d p) {
            graph.add(name, new Pool2dOp(Pool2dOp.Kind.AVG, p.kernel(), p.stride() == 0 ? p.kernel() : p.stride()),
                    from(p.from(), previous, field, mirror));
        } else if (field.getAnnotation(GlobalAvgPool2d.class) instanceof GlobalAvgPool2d p) {
            graph.add(name, new GlobalAvgPoolOp(), from(p.from(), previous, field, mirror));
        } else if (field.getAnnotation(Flatten.class) instanceof Flatten f) {
            graph.add(name, new FlattenOp(), from(f.from(), previous, field, mirror));
        } else if (field.getAnnotation(Dropout.class) instanceof Dropout d) {
            graph.add(name, new DropoutOp(d.value()), from(d.from(), previous, field, mirror));
        } else if (field.getAnnotation(BatchNorm.class) instanceof BatchNorm b) {
            graph.add(name, new BatchNormOp(b.momentum(), b.eps(), b.activation()), from(b.from(), previous, field, mirror));
        } else if (field.getAnnotation(Rnn.class) instanceof Rnn r) {
            graph.add(name, new RecurrentOp(RecurrentOp.Cell.RNN_TANH, r.hidden(), r.layers(), r.dropout(), r.returns()),
                    from(r.from(), previous, field, mirror));
        } else if (field.getAnnotation(Lstm.class) instanceof Lstm r) {
            graph.add(name, new RecurrentOp(RecurrentOp.Cell.LSTM, r.hidden(), r.layers(), r.dropout(), r.returns()),
                    from(r.from(), previous, field, mirror));
        } else if (field.getAnnotation(Gru.class) instanceof Gru r) {
            graph.add(name, new RecurrentOp(RecurrentOp.Cell.GRU, r.hidden(), r.layers(), r.dropout(), r.returns()),
                    from(r.from(), previous, field, mirror));
        } else if (field.getAnnotation(Embedding.class) instanceof Embedding e) {
            graph.add(name, new EmbeddingOp(e.vocab(), e.dim(), e.init()), from(e.from(), previous, field, mirror));
        } else if (field.getAnnotation(OneHot.class) instanceof OneHot o) {
            graph.add(name, new OneHotOp(o.value()), from(o.from(), previous, field, mirror));
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

    /**
     * The @Model training defaults on {@code annotated} (a class, or a fluent model method of
     * {@code owner}), each checked; problems are added to {@link #problems()}.
     */
    public TrainingDefaults defaults(Element annotated, TypeElement owner) {
        Model model = annotated.getAnnotation(Model.class);
        checkDefaults(annotated, owner, model);
        return new TrainingDefaults(model.data(), model.epochs(), model.batch(), model.lr(), model.optimizer(),
                model.weightDecay(), model.seed(), model.schedule(), model.clipNorm());
    }

    private void checkDefaults(Element type, TypeElement owner, Model model) {
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
        try {
            kiln.dsl.ScheduleSpec.parse(model.schedule(), Math.max(model.epochs(), 1)); // the same check as --schedule
        } catch (IllegalArgumentException e) {
            problems.add(new Problem(type, mirror, "schedule \"" + model.schedule() + "\": " + e.getMessage()));
        }
        if (!kiln.dsl.TrainingNames.isOptimizer(model.optimizer())) {
            problems.add(new Problem(type, mirror, "unknown optimizer '" + model.optimizer() + "'; use one of "
                    + String.join(", ", kiln.dsl.TrainingNames.OPTIMIZERS)));
        }
        if (!(model.clipNorm() >= 0) || Double.isInfinite(model.clipNorm())) {
            problems.add(new Problem(type, mirror, "clipNorm must be >= 0 (0: no clipping), got " + model.clipNorm()));
        }
        if (!model.data().isEmpty() && !kiln.dsl.TrainingNames.isDataSet(model.data()) && !kiln.dsl.TrainingNames.isText(model.data())) {
            problems.add(new Problem(type, mirror, "unknown data set '" + model.data() + "'; use "
                    + String.join(", ", kiln.dsl.TrainingNames.DATA_SETS.stream().map(d -> "\"" + d + "\"").toList())
                    + " (or a text for a language model: " + String.join(", ", kiln.dsl.TrainingNames.TEXTS.stream()
                    .map(d -> "\"" + d + "\"").toList()) + "), or leave it empty and implement " + DATA_SOURCE));
        }
    }

    /**
     * A class that supplies its own data is instantiated by its generated main ({@code new M()}),
     * from another class of its package: it must be reachable and constructible from there.
     */
    public void checkConstructible(TypeElement type) {
        if (!implementsDataSource(type) && !implementsReport(type)) return;
        String name = type.getSimpleName().toString();
        if (type.getModifiers().contains(javax.lang.model.element.Modifier.PRIVATE)) {
            problems.add(new Problem(type, null, "@Model class " + name + " is private, but its generated main creates it"
                    + " (it is its own DataSource): make it package-private or public"));
        } else if (type.getNestingKind() == javax.lang.model.element.NestingKind.MEMBER
                && !type.getModifiers().contains(javax.lang.model.element.Modifier.STATIC)) {
            problems.add(new Problem(type, null, "@Model class " + name + " is an inner class, but its generated main creates it"
                    + " without an enclosing instance (it is its own DataSource): declare it static"));
        } else if (type.getNestingKind() == javax.lang.model.element.NestingKind.LOCAL
                || type.getNestingKind() == javax.lang.model.element.NestingKind.ANONYMOUS) {
            problems.add(new Problem(type, null, "@Model class " + name + " is declared inside a method, where its generated"
                    + " main cannot reach it: declare it at the top level of its file or as a static nested class"));
        } else {
            boolean noArgs = javax.lang.model.util.ElementFilter.constructorsIn(type.getEnclosedElements()).stream()
                    .anyMatch(c -> c.getParameters().isEmpty() && !c.getModifiers().contains(javax.lang.model.element.Modifier.PRIVATE));
            if (!noArgs) {
                problems.add(new Problem(type, null, "@Model class " + name + " has no non-private constructor without"
                        + " parameters, which its generated main calls (it is its own DataSource): add one"));
            }
        }
    }

    /** Whether the class supplies its own data, so the generated main instantiates it. */
    public boolean implementsDataSource(TypeElement type) {
        return implementsInterface(type, DATA_SOURCE);
    }

    /** Whether the class writes a report of its own after training, so the generated main instantiates it. */
    public boolean implementsReport(TypeElement type) {
        return implementsInterface(type, REPORT);
    }

    private boolean implementsInterface(TypeElement type, String name) {
        TypeElement iface = elements.getTypeElement(name);
        if (iface == null) return false;
        TypeMirror erased = types.erasure(iface.asType());
        return types.isAssignable(type.asType(), erased);
    }
}
