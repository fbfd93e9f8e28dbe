package kiln.processor.runtime;

import com.palantir.javapoet.ClassName;
import com.palantir.javapoet.CodeBlock;
import java.io.File;
import java.net.URISyntaxException;
import java.nio.file.Path;
import java.security.CodeSource;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import javax.tools.Diagnostic;
import javax.tools.DiagnosticCollector;
import javax.tools.JavaCompiler;
import javax.tools.JavaFileObject;
import javax.tools.StandardJavaFileManager;
import javax.tools.ToolProvider;
import kiln.dsl.Init;
import kiln.dsl.fluent.ModelSpec;
import kiln.ir.Graph;
import kiln.ir.IrException;
import kiln.processor.codegen.GeneratedSource;
import kiln.processor.codegen.ModelEmitter;
import kiln.processor.frontend.FluentReader;
import kiln.runtime.CompiledModel;

/**
 * Compiles a fluent {@link ModelSpec} built while a program runs into a {@link CompiledModel}:
 * the same checks and the same generated source as the build-time processor, compiled in memory
 * with {@code javax.tools} and loaded in a class loader of its own.
 *
 * <pre>{@code
 * ModelSpec spec = Kiln.model("mlp").input(784).dense(256, RELU).dense(10).loss(SOFTMAX_CROSS_ENTROPY);
 * try (CompiledModel model = InProcessCompiler.compile(spec, 64, 2)) { ... }
 * }</pre>
 *
 * <p>Needs a JDK (not a JRE) and kiln-processor on the class path next to kiln-runtime; the
 * generated class is compiled against the running JVM's class path with {@code --add-modules
 * jdk.incubator.vector}, which the JVM itself must have been started with. A compile of the MNIST
 * MLP takes about 2 s in a fresh JVM and about 0.25 s once javac is warm
 * ({@code InProcessCompileTiming} in the tests measures it); compile once with {@link
 * #compileClass} and instantiate as often as needed.
 */
public final class InProcessCompiler {
    /** The package of models compiled at run time. */
    public static final String PACKAGE = "kiln.generated";

    private InProcessCompiler() {}

    /** A compiled model class and its source. */
    public record CompiledClass(String source, Class<? extends CompiledModel> modelClass) {
        /** A model for batches of up to {@code maxBatch} rows, computing on {@code threads} threads. */
        public CompiledModel newInstance(int maxBatch, int threads) {
            try {
                return modelClass.getConstructor(int.class, int.class).newInstance(maxBatch, threads);
            } catch (java.lang.reflect.InvocationTargetException e) {
                if (e.getCause() instanceof RuntimeException r) throw r;
                throw new IllegalStateException(e.getCause());
            } catch (ReflectiveOperationException e) {
                throw new IllegalStateException("cannot instantiate " + modelClass.getName(), e);
            }
        }
    }

    /** Compiles {@code spec} and instantiates its model. */
    public static CompiledModel compile(ModelSpec spec, int maxBatch, int threads) {
        return compileClass(spec).newInstance(maxBatch, threads);
    }

    /**
     * Compiles {@code spec} into a model class.
     *
     * @throws IllegalArgumentException when the model is malformed (the message is the build-time
     *     error's; the cause, an {@link IrException}, names the node)
     */
    public static CompiledClass compileClass(ModelSpec spec) {
        String modelName = modelName(spec);
        String source = source(spec);
        String className = PACKAGE + "." + ModelEmitter.modelClassOf(ClassName.get(PACKAGE, modelName)).simpleName();
        Map<String, byte[]> classes = javac(className, source);
        MemoryClassLoader loader = new MemoryClassLoader(classes, CompiledModel.class.getClassLoader());
        try {
            return new CompiledClass(source, loader.loadClass(className).asSubclass(CompiledModel.class));
        } catch (ClassNotFoundException e) {
            throw new IllegalStateException("javac wrote no " + className, e);
        }
    }

    /** The model class's source, exactly as the processor would write it for a {@code @Model} method of that name. */
    public static String source(ModelSpec spec) {
        String modelName = modelName(spec);
        Graph graph;
        try {
            graph = spec.graph(modelName).build();
        } catch (IrException e) {
            throw new IllegalArgumentException(e.node() == null ? e.getMessage()
                    : "model " + modelName + ", node '" + e.node() + "': " + e.getMessage(), e);
        }
        CodeBlock origin = CodeBlock.of("a fluent {@code ModelSpec} compiled at run time");
        return GeneratedSource.file(PACKAGE, new ModelEmitter(graph, ClassName.get(PACKAGE, modelName), origin).emit())
                .toString();
    }

    /** The spec's name as a model name: capitalised, as a @Model method's ({@code mlp} gives {@code Mlp}). */
    private static String modelName(ModelSpec spec) {
        return FluentReader.modelName(spec.name().orElse(ModelSpec.UNNAMED));
    }

    private static Map<String, byte[]> javac(String className, String source) {
        JavaCompiler javac = ToolProvider.getSystemJavaCompiler();
        if (javac == null) {
            throw new IllegalStateException("compiling a model at run time needs a JDK's javac (javax.tools); this"
                    + " Java runtime has none");
        }
        DiagnosticCollector<JavaFileObject> diagnostics = new DiagnosticCollector<>();
        StandardJavaFileManager standard = javac.getStandardFileManager(diagnostics, Locale.ROOT, null);
        try (MemoryFileManager files = new MemoryFileManager(standard)) {
            List<String> options = List.of("--add-modules", "jdk.incubator.vector", "-proc:none", "-nowarn",
                    "-classpath", classPath());
            JavaFileObject unit = MemoryFileManager.source(className, source);
            boolean ok = javac.getTask(null, files, diagnostics, options, null, List.of(unit)).call();
            if (!ok) {
                throw new IllegalStateException("javac rejected the generated " + className + ":\n" + diagnostics
                        .getDiagnostics().stream().filter(d -> d.getKind() == Diagnostic.Kind.ERROR)
                        .map(d -> d.getLineNumber() + ": " + d.getMessage(Locale.ROOT)).collect(Collectors.joining("\n")));
            }
            return files.classes();
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    /** The running JVM's class path, plus wherever the runtime and the DSL were loaded from. */
    private static String classPath() {
        Set<String> entries = new LinkedHashSet<>();
        for (String e : System.getProperty("java.class.path", "").split(File.pathSeparator)) {
            if (!e.isEmpty()) entries.add(e);
        }
        for (Class<?> c : List.of(CompiledModel.class, Init.class)) {
            CodeSource code = c.getProtectionDomain().getCodeSource();
            if (code == null || code.getLocation() == null) continue;
            try {
                entries.add(Path.of(code.getLocation().toURI()).toString());
            } catch (URISyntaxException | IllegalArgumentException | java.nio.file.FileSystemNotFoundException e) {
                // Not a file: the class path must already have it.
            }
        }
        return String.join(File.pathSeparator, new ArrayList<>(entries));
    }
}
