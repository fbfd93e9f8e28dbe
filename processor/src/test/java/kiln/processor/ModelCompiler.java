package kiln.processor;

import static com.google.testing.compile.Compiler.javac;

import com.google.testing.compile.Compilation;
import com.google.testing.compile.JavaFileObjects;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.HashMap;
import java.util.Map;
import javax.tools.JavaFileObject;
import kiln.runtime.CompiledModel;

/** Runs the processor on source text in memory and loads the generated model class. */
final class ModelCompiler {
    private ModelCompiler() {}

    static Compilation compile(String qualifiedName, String source) {
        return javac()
                .withProcessors(new ModelProcessor())
                .withOptions("--add-modules", "jdk.incubator.vector", "-Xlint:-incubating")
                .compile(JavaFileObjects.forSourceString(qualifiedName, source));
    }

    /** Compiles {@code source} (declaring {@code qualifiedName}) and instantiates its generated model. */
    static CompiledModel load(String qualifiedName, String source, int maxBatch, int threads) {
        Compilation c = compile(qualifiedName, source);
        if (c.status() != Compilation.Status.SUCCESS) throw new AssertionError("compilation failed: " + c.diagnostics());
        try {
            Class<?> model = classLoader(c).loadClass(qualifiedName + "Model");
            return (CompiledModel) model.getConstructor(int.class, int.class).newInstance(maxBatch, threads);
        } catch (ReflectiveOperationException e) {
            throw new AssertionError(e);
        }
    }

    /** Instantiates generated model class {@code modelClass} (e.g. {@code fx.MnistMlpModel}) of a successful compilation. */
    static CompiledModel instantiate(Compilation c, String modelClass, int maxBatch, int threads) {
        if (c.status() != Compilation.Status.SUCCESS) throw new AssertionError("compilation failed: " + c.diagnostics());
        try {
            Class<?> model = classLoader(c).loadClass(modelClass);
            return (CompiledModel) model.getConstructor(int.class, int.class).newInstance(maxBatch, threads);
        } catch (ReflectiveOperationException e) {
            throw new AssertionError(e);
        }
    }

    static String generatedSource(Compilation c, String qualifiedName) {
        try {
            return c.generatedSourceFile(qualifiedName).orElseThrow().getCharContent(true).toString();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static ClassLoader classLoader(Compilation c) {
        Map<String, byte[]> classes = new HashMap<>();
        for (JavaFileObject f : c.generatedFiles()) {
            if (f.getKind() != JavaFileObject.Kind.CLASS) continue;
            String path = f.toUri().getPath();
            String binary = path.substring(path.indexOf("CLASS_OUTPUT/") + "CLASS_OUTPUT/".length(), path.length() - 6)
                    .replace('/', '.');
            try (InputStream in = f.openInputStream()) {
                classes.put(binary, in.readAllBytes());
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        return new ClassLoader(ModelCompiler.class.getClassLoader()) {
            @Override
            protected Class<?> findClass(String name) throws ClassNotFoundException {
                byte[] bytes = classes.get(name);
                if (bytes == null) throw new ClassNotFoundException(name);
                return defineClass(name, bytes, 0, bytes.length);
            }
        };
    }
}
