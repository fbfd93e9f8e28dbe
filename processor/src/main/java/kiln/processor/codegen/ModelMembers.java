package kiln.processor.codegen;

import com.palantir.javapoet.ArrayTypeName;
import com.palantir.javapoet.CodeBlock;
import com.palantir.javapoet.FieldSpec;
import com.palantir.javapoet.MethodSpec;
import com.palantir.javapoet.TypeName;
import com.palantir.javapoet.TypeSpec;
import java.util.Arrays;
import java.util.stream.Collectors;
import javax.lang.model.element.Modifier;
import kiln.dsl.Init;
import kiln.ir.Node;
import kiln.ir.NodeOptions;

/**
 * What an op rule declares in the generated class: parameters, state tensors, per-batch buffers
 * and runtime kernel objects, each a final field set once in the constructor (whose parameters
 * are {@code maxBatch} and {@code threads}; the worker pool is the inherited {@code pool}).
 */
public final class ModelMembers {
    private final TypeSpec.Builder type;
    private final MethodSpec.Builder ctor;
    private final EmitContext ctx;

    ModelMembers(TypeSpec.Builder type, MethodSpec.Builder ctor, EmitContext ctx) {
        this.type = type;
        this.ctor = ctor;
        this.ctx = ctx;
    }

    /**
     * A trainable tensor {@code <node><suffix>}, e.g. "conv1.weight", in field {@code <node><field>},
     * with the node's declared training settings (frozen, learning-rate scale, weight decay).
     */
    public void param(Node n, String field, String suffix, boolean bias, Init init, int fanIn, int fanOut, int... shape) {
        String name = Names.identifier(n.name()) + field;
        type.addField(FieldSpec.builder(Names.PARAM, name, Modifier.PUBLIC, Modifier.FINAL)
                .addJavadoc("$L$L $L$L\n", n.name(), suffix, Arrays.toString(shape), n.options().frozen() ? ", frozen" : "").build());
        NodeOptions o = n.options();
        CodeBlock settings = o.hasParamSettings()
                ? CodeBlock.of(".configure($L, $L, $L)", o.frozen(), o.lrScale(), Double.isNaN(o.weightDecay()) ? "Double.NaN" : o.weightDecay())
                : CodeBlock.of("");
        ctor.addStatement("$L = param($S, $L, $T.$L, $L, $L, $L)$L", name, n.name() + suffix, bias, Names.INIT, init,
                fanIn, fanOut, list(shape), settings);
    }

    /** Registers {@code buffer} as the noise a stochastic node draws (readable, and replayable when fixed). */
    public void noise(Node n, String buffer) {
        ctor.addStatement("noise($S, $L)", n.name(), buffer);
    }

    /** Non-trainable model state (saved in checkpoints), starting at {@code initial}. */
    public void state(Node n, String field, String suffix, float initial, String doc, int... shape) {
        String name = ctx.param(n, field);
        type.addField(FieldSpec.builder(Names.PARAM, name, Modifier.PUBLIC, Modifier.FINAL)
                .addJavadoc("$L$L $L: $L\n", n.name(), suffix, Arrays.toString(shape), doc).build());
        ctor.addStatement("$L = buffer($S, $Lf, $L)", name, n.name() + suffix, initial, list(shape));
    }

    /** A float buffer of {@code perRow} floats per batch row. */
    public void floats(String name, String doc, int perRow) {
        type.addField(FieldSpec.builder(ArrayTypeName.of(TypeName.FLOAT), name, Modifier.PRIVATE, Modifier.FINAL)
                .addJavadoc("$L\n", doc).build());
        ctor.addStatement("$L = new float[maxBatch * $L]", name, perRow);
    }

    /** An int buffer of {@code perRow} ints per batch row. */
    public void ints(String name, String doc, int perRow) {
        type.addField(FieldSpec.builder(ArrayTypeName.of(TypeName.INT), name, Modifier.PRIVATE, Modifier.FINAL)
                .addJavadoc("$L\n", doc).build());
        ctor.addStatement("$L = new int[maxBatch * $L]", name, perRow);
    }

    /** A mutable flag, false until set. */
    public void flag(String name, String doc) {
        type.addField(FieldSpec.builder(TypeName.BOOLEAN, name, Modifier.PRIVATE).addJavadoc("$L\n", doc).build());
    }

    /** A final field of {@code fieldType} set to {@code init} in the constructor. */
    public void field(TypeName fieldType, String name, String doc, CodeBlock init) {
        type.addField(FieldSpec.builder(fieldType, name, Modifier.PRIVATE, Modifier.FINAL).addJavadoc("$L\n", doc).build());
        ctor.addStatement("$L = $L", name, init);
    }

    /** A helper method of the generated class (e.g. the fused pass of one time step). */
    public void method(MethodSpec method) {
        type.addMethod(method);
    }

    private static String list(int... values) {
        return Arrays.stream(values).mapToObj(Integer::toString).collect(Collectors.joining(", "));
    }
}
