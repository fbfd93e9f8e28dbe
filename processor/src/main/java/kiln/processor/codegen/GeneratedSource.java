package kiln.processor.codegen;

import com.palantir.javapoet.JavaFile;
import com.palantir.javapoet.TypeSpec;

/** How a generated class becomes a file: one format for the processor and the run-time compiler. */
public final class GeneratedSource {
    private GeneratedSource() {}

    public static JavaFile file(String packageName, TypeSpec type) {
        return JavaFile.builder(packageName, type).skipJavaLangImports(true).indent("    ").build();
    }
}
