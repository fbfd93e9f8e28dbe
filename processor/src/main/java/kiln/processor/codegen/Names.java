package kiln.processor.codegen;

import com.palantir.javapoet.ClassName;
import com.palantir.javapoet.ParameterizedTypeName;
import com.palantir.javapoet.TypeName;

/** Types the generated code refers to, named once. */
public final class Names {
    private Names() {}

    public static final ClassName FLOAT_VECTOR = ClassName.get("jdk.incubator.vector", "FloatVector");
    public static final ClassName INT_VECTOR = ClassName.get("jdk.incubator.vector", "IntVector");
    public static final ClassName VECTOR_OPERATORS = ClassName.get("jdk.incubator.vector", "VectorOperators");
    public static final TypeName SPECIES =
            ParameterizedTypeName.get(ClassName.get("jdk.incubator.vector", "VectorSpecies"), ClassName.get(Float.class));

    public static final ClassName COMPILED_MODEL = ClassName.get("kiln.runtime", "CompiledModel");
    public static final ClassName PARAM = ClassName.get("kiln.runtime", "Param");
    public static final ClassName BATCH = ClassName.get("kiln.runtime", "Batch");
    public static final ClassName TARGET_KIND = ClassName.get("kiln.runtime", "TargetKind");
    public static final ClassName EPILOGUE = ClassName.get("kiln.runtime.kernels", "Epilogue");
    public static final ClassName CONV2D = ClassName.get("kiln.runtime.kernels", "Conv2d");
    public static final ClassName BATCH_NORM = ClassName.get("kiln.runtime.kernels", "BatchNorm");
    public static final ClassName POOLING = ClassName.get("kiln.runtime.kernels", "Pooling");
    public static final ClassName RANDOM_FILL = ClassName.get("kiln.runtime.kernels", "RandomFill");
    /** exp, tanh, sigmoid and lane sums that give the same bits interpreted and compiled. */
    public static final ClassName VECTOR_MATH = ClassName.get("kiln.runtime.kernels", "VectorMath");
    public static final ClassName ACTIVATION = ClassName.get("kiln.dsl", "Activation");
    public static final ClassName INIT = ClassName.get("kiln.dsl", "Init");
    public static final ClassName INPUT_KIND = ClassName.get("kiln.dsl", "InputKind");
    public static final ClassName TRAINING_MAIN = ClassName.get("kiln.runtime.cli", "TrainingMain");
    public static final ClassName TRAIN_DEFAULTS = ClassName.get("kiln.runtime.cli", "TrainDefaults");
    public static final ClassName DATA_SOURCES = ClassName.get("kiln.runtime.data", "DataSources");
    public static final ClassName TEXT_SOURCES = ClassName.get("kiln.runtime.text", "TextSources");
    public static final ClassName VECTOR_API = ClassName.get("kiln.runtime", "VectorApi");

    /** The species every generated vector loop uses: a static final field, so C2 folds its length. */
    public static final String F = "F";

    /** A node name as a Java identifier fragment: {@code hidden_1} stays, {@code block 1} becomes {@code block_1}. */
    public static String identifier(String nodeName) {
        StringBuilder sb = new StringBuilder();
        for (char c : nodeName.toCharArray()) sb.append(Character.isJavaIdentifierPart(c) ? c : '_');
        if (sb.isEmpty() || !Character.isJavaIdentifierStart(sb.charAt(0))) sb.insert(0, '_');
        return sb.toString();
    }
}
