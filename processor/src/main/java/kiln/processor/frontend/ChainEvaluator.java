package kiln.processor.frontend;

import com.sun.source.tree.AssignmentTree;
import com.sun.source.tree.BinaryTree;
import com.sun.source.tree.BlockTree;
import com.sun.source.tree.CompoundAssignmentTree;
import com.sun.source.tree.EmptyStatementTree;
import com.sun.source.tree.ExpressionStatementTree;
import com.sun.source.tree.ExpressionTree;
import com.sun.source.tree.ForLoopTree;
import com.sun.source.tree.IdentifierTree;
import com.sun.source.tree.LiteralTree;
import com.sun.source.tree.MemberSelectTree;
import com.sun.source.tree.MethodInvocationTree;
import com.sun.source.tree.MethodTree;
import com.sun.source.tree.NewArrayTree;
import com.sun.source.tree.ParenthesizedTree;
import com.sun.source.tree.ReturnTree;
import com.sun.source.tree.StatementTree;
import com.sun.source.tree.Tree;
import com.sun.source.tree.UnaryTree;
import com.sun.source.tree.VariableTree;
import com.sun.source.util.TreePath;
import com.sun.source.util.TreeScanner;
import com.sun.source.util.Trees;
import java.lang.reflect.Array;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import javax.lang.model.element.Element;
import javax.lang.model.element.ElementKind;
import javax.lang.model.element.ExecutableElement;
import javax.lang.model.element.Modifier;
import javax.lang.model.element.TypeElement;
import javax.lang.model.element.VariableElement;
import javax.lang.model.type.ArrayType;
import javax.lang.model.type.TypeKind;
import javax.lang.model.type.TypeMirror;
import javax.lang.model.util.Elements;
import javax.lang.model.util.Types;
import kiln.dsl.fluent.ModelSpec;
import kiln.dsl.fluent.Node;

/**
 * Runs the body of a fluent {@code @Model} method at build time, on javac's trees, for a small
 * subset of Java: literals, compile-time constants, enum values, local variables, arithmetic and
 * string concatenation, {@code for} loops over an int counter, and calls into {@code kiln.dsl.fluent}.
 *
 * <p>DSL calls are made for real, by reflection on the method javac resolved, so a chain builds
 * the same {@link ModelSpec} here as it does at run time, and a new DSL method needs no change
 * here. Anything outside the subset stops evaluation with an {@link EvaluationException} on the
 * tree at fault, saying what is supported instead.
 */
final class ChainEvaluator {
    static final String SUPPORTED = "a @Model method may use literals, compile-time constants, enum values, local"
            + " variables, arithmetic, for loops over an int counter, and calls to the fluent DSL (kiln.dsl.fluent)";
    private static final String DSL_PACKAGE = "kiln.dsl.fluent";
    private static final int MAX_ITERATIONS = 100_000;

    /**
     * A name javac could not resolve: javac reports it itself (e.g. "cannot find symbol"), so the
     * evaluator stops without a message of its own.
     */
    static final class UnresolvedException extends RuntimeException {
        private static final long serialVersionUID = 1L;

        UnresolvedException() {
            super(null, null, false, false);
        }
    }

    /** Why evaluation stopped, and the tree to report it on. */
    static final class EvaluationException extends RuntimeException {
        private static final long serialVersionUID = 1L;
        private final transient Tree tree;

        EvaluationException(Tree tree, String message) {
            super(message);
            this.tree = tree;
        }

        Tree tree() {
            return tree;
        }
    }

    private final Trees trees;
    private final Elements elements;
    private final Types types;
    private final String modelName;
    private final Map<Element, Object> locals = new HashMap<>();
    /** Each node, in the order calls declared them, with the call (identity: names may repeat). */
    private final Map<Node, Tree> nodesDeclaredAt = new java.util.LinkedHashMap<>();
    private final Map<ModelSpec, Tree> lossesDeclaredAt = new IdentityHashMap<>();
    private Object returned;
    private int iterations;

    ChainEvaluator(Trees trees, Elements elements, Types types, String modelName) {
        this.trees = trees;
        this.elements = elements;
        this.types = types;
        this.modelName = modelName;
    }

    /** Runs the method's body and returns the spec it returns. */
    ModelSpec run(TreePath method) {
        MethodTree tree = (MethodTree) method.getLeaf();
        if (!execute(child(method, tree.getBody())) || !(returned instanceof ModelSpec spec)) {
            throw new EvaluationException(tree, "a @Model method returns the chain that ends in loss(...)");
        }
        return spec;
    }

    /**
     * For each node name, the calls that declared a node of that name, in call order (two when a
     * name is declared twice): where IR errors about the node are reported.
     */
    Map<String, List<Tree>> declarationSites(ModelSpec spec) {
        Map<String, List<Tree>> sites = new HashMap<>();
        nodesDeclaredAt.forEach((node, tree) -> sites.computeIfAbsent(node.name(), k -> new ArrayList<>()).add(tree));
        Tree loss = lossesDeclaredAt.get(spec);
        // loss(kind) declares its term inside the call that returns the spec; minimize(...) terms have their own calls
        if (loss != null && !sites.containsKey(spec.declarations().getLast().name())) {
            sites.put(spec.declarations().getLast().name(), new ArrayList<>(List.of(loss)));
        }
        return sites;
    }

    // ---- statements ----

    /** Executes a statement; true when it returned. */
    private boolean execute(TreePath path) {
        Tree s = path.getLeaf();
        switch (s) {
            case BlockTree block -> {
                for (StatementTree st : block.getStatements()) {
                    if (execute(child(path, st))) return true;
                }
                return false;
            }
            case VariableTree v -> {
                Element variable = trees.getElement(path);
                Object value = v.getInitializer() == null ? null : evaluate(child(path, v.getInitializer()));
                locals.put(variable, convert(value, variable.asType()));
                return false;
            }
            case ExpressionStatementTree e -> {
                evaluate(child(path, e.getExpression()));
                return false;
            }
            case ReturnTree r -> {
                returned = evaluate(child(path, r.getExpression()));
                return true;
            }
            case ForLoopTree f -> {
                return forLoop(path, f);
            }
            case EmptyStatementTree e -> {
                return false;
            }
            default -> throw unsupportedStatement(s);
        }
    }

    private EvaluationException unsupportedStatement(Tree s) {
        String what = switch (s.getKind()) {
            case WHILE_LOOP, DO_WHILE_LOOP -> "a while loop cannot be evaluated at build time: repeat a block with"
                    + " a for loop over an int counter, e.g. for (int i = 0; i < 3; i++)";
            case ENHANCED_FOR_LOOP -> "a for-each loop cannot be evaluated at build time: count with an int, e.g."
                    + " for (int i = 0; i < 3; i++)";
            case IF -> "an if statement cannot be evaluated at build time: choose the structure with a constant"
                    + " and a for loop, or write two @Model methods";
            default -> describe(s) + " cannot be evaluated at build time";
        };
        return new EvaluationException(s, what + "; " + SUPPORTED);
    }

    /** {@code for (int i = a; i < b; i++) body}: a counter changed only by its update, at most MAX_ITERATIONS times. */
    private boolean forLoop(TreePath path, ForLoopTree f) {
        String form = "a for loop evaluated at build time counts with one int, e.g. for (int i = 0; i < 3; i++)";
        if (f.getInitializer().size() != 1 || !(f.getInitializer().get(0) instanceof VariableTree counter)
                || counter.getInitializer() == null || f.getCondition() == null || f.getUpdate().size() != 1) {
            throw new EvaluationException(f, form);
        }
        TreePath counterPath = child(path, counter);
        TypeKind kind = trees.getElement(counterPath).asType().getKind();
        if (kind != TypeKind.INT && kind != TypeKind.LONG) throw new EvaluationException(counter, form);
        String name = counter.getName().toString();
        new TreeScanner<Void, Void>() {
            @Override
            public Void visitAssignment(AssignmentTree t, Void v) {
                check(t, t.getVariable());
                return super.visitAssignment(t, v);
            }

            @Override
            public Void visitCompoundAssignment(CompoundAssignmentTree t, Void v) {
                check(t, t.getVariable());
                return super.visitCompoundAssignment(t, v);
            }

            @Override
            public Void visitUnary(UnaryTree t, Void v) {
                if (isIncrement(t.getKind())) check(t, t.getExpression());
                return super.visitUnary(t, v);
            }

            private void check(Tree at, ExpressionTree target) {
                if (target instanceof IdentifierTree id && id.getName().contentEquals(name)) {
                    throw new EvaluationException(at, "the loop counter '" + name + "' may change only in the"
                            + " for update (i++, i += 2), so that the loop's bounds are known");
                }
            }
        }.scan(f.getStatement(), null);
        execute(counterPath);
        TreePath update = child(path, f.getUpdate().get(0));
        while (isTrue(f.getCondition(), evaluate(child(path, f.getCondition())))) {
            if (++iterations > MAX_ITERATIONS) {
                throw new EvaluationException(f, "the for loops run more than " + MAX_ITERATIONS
                        + " times: bound the counter with a constant");
            }
            if (execute(child(path, f.getStatement()))) return true;
            execute(update);
        }
        return false;
    }

    private static boolean isTrue(Tree at, Object value) {
        if (value instanceof Boolean b) return b;
        throw new EvaluationException(at, "a condition must be a boolean");
    }

    // ---- expressions ----

    private Object evaluate(TreePath path) {
        Tree e = path.getLeaf();
        return switch (e) {
            case LiteralTree l -> l.getValue();
            case ParenthesizedTree p -> evaluate(child(path, p.getExpression()));
            case IdentifierTree id -> name(path, id);
            case MemberSelectTree m -> name(path, m);
            case MethodInvocationTree call -> invoke(path, call);
            case BinaryTree b -> binary(path, b);
            case UnaryTree u -> unary(path, u);
            case AssignmentTree a -> assign(path, a.getVariable(), evaluate(child(path, a.getExpression())));
            case CompoundAssignmentTree c -> assign(path, c.getVariable(), Arithmetic.binary(c, compoundOperator(c),
                    evaluate(child(path, c.getVariable())), evaluate(child(path, c.getExpression()))));
            case NewArrayTree n -> newArray(path, n);
            default -> throw new EvaluationException(e, describe(e) + " cannot be evaluated at build time; " + SUPPORTED);
        };
    }

    /** A local variable, a constant field or an enum value, by simple or qualified name. */
    private Object name(TreePath path, ExpressionTree tree) {
        Element element = trees.getElement(path);
        if (element == null) throw new UnresolvedException();
        return switch (element.getKind()) {
            case LOCAL_VARIABLE -> {
                if (!locals.containsKey(element)) {
                    throw new EvaluationException(tree, "local variable '" + tree + "' has no value here; " + SUPPORTED);
                }
                yield locals.get(element);
            }
            case ENUM_CONSTANT -> enumValue((VariableElement) element, tree);
            case FIELD -> constant((VariableElement) element, tree);
            default -> throw new EvaluationException(tree, "'" + tree + "' is a " + element.getKind().toString()
                    .toLowerCase(Locale.ROOT).replace('_', ' ') + ", which cannot be evaluated at build time; " + SUPPORTED);
        };
    }

    private Object constant(VariableElement field, ExpressionTree tree) {
        Object value = field.getConstantValue();
        if (value != null) return value;
        throw new EvaluationException(tree, "field '" + field.getSimpleName() + "' is not a compile-time constant:"
                + " only static final fields of primitive or String type with constant values are evaluated at build"
                + " time (e.g. static final int HIDDEN = 256), so make it one or write the value; " + SUPPORTED);
    }

    private Object enumValue(VariableElement constant, ExpressionTree tree) {
        TypeElement type = (TypeElement) constant.getEnclosingElement();
        Class<?> c = load(type, tree);
        if (!c.isEnum()) throw new EvaluationException(tree, type + " is not an enum");
        @SuppressWarnings({"unchecked", "rawtypes"})
        Object value = Enum.valueOf((Class) c, constant.getSimpleName().toString());
        return value;
    }

    /** A call into the DSL, made for real on the method javac resolved. */
    private Object invoke(TreePath path, MethodInvocationTree call) {
        TreePath select = child(path, call.getMethodSelect());
        if (!(trees.getElement(select) instanceof ExecutableElement method)) throw new UnresolvedException();
        TypeElement owner = (TypeElement) method.getEnclosingElement();
        String callee = owner.getSimpleName() + "." + method.getSimpleName() + "(...)";
        if (!elements.getPackageOf(owner).getQualifiedName().contentEquals(DSL_PACKAGE)) {
            throw new EvaluationException(call, "cannot call " + callee + " in a @Model method: only the fluent DSL"
                    + " (kiln.dsl.fluent) is evaluated at build time, so write the value as a literal or a static final"
                    + " constant; " + SUPPORTED);
        }
        if (owner.getSimpleName().contentEquals("Kiln") && method.getSimpleName().contentEquals("model")) {
            throw new EvaluationException(call, "a @Model method's model is named after the method (" + modelName
                    + "): start the chain with input(...); Kiln.model(name) is for models built at run time");
        }
        Object receiver = null;
        if (!method.getModifiers().contains(Modifier.STATIC)) {
            if (!(call.getMethodSelect() instanceof MemberSelectTree s)) {
                throw new EvaluationException(call, "cannot evaluate '" + call + "'");
            }
            receiver = evaluate(child(select, s.getExpression()));
            if (receiver == null) throw new EvaluationException(s.getExpression(), "'" + s.getExpression() + "' is null");
        }
        List<Object> args = new ArrayList<>();
        for (ExpressionTree arg : call.getArguments()) args.add(evaluate(child(path, arg)));
        Method target = reflect(method, call);
        Object result;
        try {
            result = target.invoke(receiver, arguments(method, target, args));
        } catch (InvocationTargetException ex) {
            Throwable cause = ex.getCause();
            throw new EvaluationException(call, cause.getMessage() != null ? cause.getMessage() : cause.toString());
        } catch (IllegalAccessException | IllegalArgumentException ex) {
            throw new EvaluationException(call, "cannot evaluate " + callee + ": " + ex.getMessage());
        }
        // A node a call returns for the first time was declared by it; node("name") only refers to one.
        if (result instanceof Node n && !method.getSimpleName().contentEquals("node")) nodesDeclaredAt.putIfAbsent(n, call);
        if (result instanceof ModelSpec spec) lossesDeclaredAt.put(spec, call);
        return result;
    }

    private Method reflect(ExecutableElement method, Tree at) {
        Class<?> owner = load((TypeElement) method.getEnclosingElement(), at);
        Class<?>[] parameters = new Class<?>[method.getParameters().size()];
        for (int i = 0; i < parameters.length; i++) parameters[i] = classOf(method.getParameters().get(i).asType(), at);
        try {
            return owner.getMethod(method.getSimpleName().toString(), parameters);
        } catch (NoSuchMethodException e) {
            throw new EvaluationException(at, "the Kiln processor has no " + owner.getSimpleName() + "."
                    + method.getSimpleName() + ": use the same version of kiln-dsl and kiln-processor");
        }
    }

    /** Arguments as reflection takes them: trailing varargs packed into their array. */
    private static Object[] arguments(ExecutableElement method, Method target, List<Object> args) {
        Class<?>[] parameters = target.getParameterTypes();
        if (!method.isVarArgs()) return args.toArray();
        int fixed = parameters.length - 1;
        Class<?> arrayType = parameters[fixed];
        if (args.size() == parameters.length && (args.get(fixed) == null || arrayType.isInstance(args.get(fixed)))) {
            return args.toArray();
        }
        Object[] actual = new Object[parameters.length];
        for (int i = 0; i < fixed; i++) actual[i] = args.get(i);
        Object array = Array.newInstance(arrayType.getComponentType(), args.size() - fixed);
        for (int i = fixed; i < args.size(); i++) Array.set(array, i - fixed, args.get(i));
        actual[fixed] = array;
        return actual;
    }

    private Object binary(TreePath path, BinaryTree b) {
        Object left = evaluate(child(path, b.getLeftOperand()));
        if (b.getKind() == Tree.Kind.CONDITIONAL_AND && Boolean.FALSE.equals(left)) return false;
        if (b.getKind() == Tree.Kind.CONDITIONAL_OR && Boolean.TRUE.equals(left)) return true;
        return Arithmetic.binary(b, b.getKind(), left, evaluate(child(path, b.getRightOperand())));
    }

    private Object unary(TreePath path, UnaryTree u) {
        Object value = evaluate(child(path, u.getExpression()));
        return switch (u.getKind()) {
            case PREFIX_INCREMENT, PREFIX_DECREMENT -> assign(path, u.getExpression(), step(u, value));
            case POSTFIX_INCREMENT, POSTFIX_DECREMENT -> {
                assign(path, u.getExpression(), step(u, value));
                yield value;
            }
            default -> Arithmetic.unary(u, value);
        };
    }

    private static Object step(UnaryTree u, Object value) {
        boolean up = u.getKind() == Tree.Kind.PREFIX_INCREMENT || u.getKind() == Tree.Kind.POSTFIX_INCREMENT;
        return Arithmetic.binary(u, up ? Tree.Kind.PLUS : Tree.Kind.MINUS, value, 1);
    }

    private static boolean isIncrement(Tree.Kind kind) {
        return kind == Tree.Kind.PREFIX_INCREMENT || kind == Tree.Kind.POSTFIX_INCREMENT
                || kind == Tree.Kind.PREFIX_DECREMENT || kind == Tree.Kind.POSTFIX_DECREMENT;
    }

    private static Tree.Kind compoundOperator(CompoundAssignmentTree c) {
        return switch (c.getKind()) {
            case PLUS_ASSIGNMENT -> Tree.Kind.PLUS;
            case MINUS_ASSIGNMENT -> Tree.Kind.MINUS;
            case MULTIPLY_ASSIGNMENT -> Tree.Kind.MULTIPLY;
            case DIVIDE_ASSIGNMENT -> Tree.Kind.DIVIDE;
            case REMAINDER_ASSIGNMENT -> Tree.Kind.REMAINDER;
            default -> throw new EvaluationException(c, describe(c) + " cannot be evaluated at build time; " + SUPPORTED);
        };
    }

    /** Assigns a local variable (the only assignable thing), converting as Java does; returns the value. */
    private Object assign(TreePath path, ExpressionTree target, Object value) {
        Element variable = trees.getElement(child(path, target));
        if (variable == null || variable.getKind() != ElementKind.LOCAL_VARIABLE) {
            throw new EvaluationException(target, "only local variables can be assigned in a @Model method; " + SUPPORTED);
        }
        Object converted = convert(value, variable.asType());
        locals.put(variable, converted);
        return converted;
    }

    private Object newArray(TreePath path, NewArrayTree n) {
        if (n.getInitializers() == null) {
            throw new EvaluationException(n, "write the array's values, e.g. new int[] {1, 28, 28}; " + SUPPORTED);
        }
        TypeMirror type = trees.getTypeMirror(path);
        if (!(type instanceof ArrayType arrayType)) throw new EvaluationException(n, "cannot resolve this array's type");
        Object array = Array.newInstance(classOf(arrayType.getComponentType(), n), n.getInitializers().size());
        for (int i = 0; i < n.getInitializers().size(); i++) {
            Object v = convert(evaluate(child(path, n.getInitializers().get(i))), arrayType.getComponentType());
            Array.set(array, i, v);
        }
        return array;
    }

    /** A value stored into a variable of {@code type}: widened or narrowed like a Java assignment. */
    private static Object convert(Object value, TypeMirror type) {
        if (!(value instanceof Number || value instanceof Character)) return value;
        long integral = value instanceof Character c ? c : ((Number) value).longValue();
        double real = value instanceof Character c ? c : ((Number) value).doubleValue();
        return switch (type.getKind()) {
            case INT -> (int) integral;
            case LONG -> integral;
            case SHORT -> (short) integral;
            case BYTE -> (byte) integral;
            case CHAR -> (char) integral;
            case FLOAT -> (float) real;
            case DOUBLE -> real;
            default -> value;
        };
    }

    private Class<?> classOf(TypeMirror type, Tree at) {
        TypeMirror t = types.erasure(type);
        return switch (t.getKind()) {
            case INT -> int.class;
            case LONG -> long.class;
            case DOUBLE -> double.class;
            case FLOAT -> float.class;
            case BOOLEAN -> boolean.class;
            case SHORT -> short.class;
            case BYTE -> byte.class;
            case CHAR -> char.class;
            case ARRAY -> classOf(((ArrayType) t).getComponentType(), at).arrayType();
            case DECLARED -> load((TypeElement) types.asElement(t), at);
            default -> throw new EvaluationException(at, "cannot evaluate a value of type " + type);
        };
    }

    /** Kiln's own classes (the DSL, its enums) load from the processor's class path. */
    private Class<?> load(TypeElement type, Tree at) {
        String binary = elements.getBinaryName(type).toString();
        try {
            return Class.forName(binary, false, ChainEvaluator.class.getClassLoader());
        } catch (ClassNotFoundException e) {
            throw new EvaluationException(at, type.getQualifiedName() + " is not available at build time: only Kiln's"
                    + " own types (kiln.dsl) and the JDK's can be evaluated; " + SUPPORTED);
        }
    }

    private static TreePath child(TreePath parent, Tree tree) {
        return new TreePath(parent, tree);
    }

    /** "a lambda expression", "a new class": how a tree kind reads in a message. */
    static String describe(Tree t) {
        String kind = switch (t.getKind()) {
            case NEW_CLASS -> "object creation";
            case LAMBDA_EXPRESSION -> "a lambda";
            case MEMBER_REFERENCE -> "a method reference";
            case CONDITIONAL_EXPRESSION -> "a conditional (?:) expression";
            case SWITCH, SWITCH_EXPRESSION -> "a switch";
            case TRY -> "a try statement";
            case THROW -> "a throw statement";
            case SYNCHRONIZED -> "a synchronized block";
            case TYPE_CAST -> "a cast";
            case INSTANCE_OF -> "an instanceof test";
            case ARRAY_ACCESS -> "an array access";
            default -> t.getKind().toString().toLowerCase(Locale.ROOT).replace('_', ' ');
        };
        return "'" + abbreviate(t.toString()) + "' (" + kind + ")";
    }

    private static String abbreviate(String s) {
        String line = s.strip().replaceAll("\\s+", " ");
        return line.length() <= 60 ? line : line.substring(0, 57) + "...";
    }
}
