package kiln.processor.codegen;

import com.palantir.javapoet.ClassName;
import com.palantir.javapoet.FieldSpec;
import com.palantir.javapoet.MethodSpec;
import com.palantir.javapoet.TypeName;
import com.palantir.javapoet.TypeSpec;
import javax.lang.model.element.Modifier;
import kiln.ir.EmbeddingOp;
import kiln.ir.Graph;
import kiln.ir.Node;
import kiln.ir.OneHotOp;
import kiln.ir.RecurrentOp;
import kiln.processor.ops.RecurrentRule;

/**
 * What a model over sequences adds to the generated class: it implements the runtime's
 * {@code SequenceModel}, with the number of time steps the next forward pass runs
 * ({@code activeSteps}, all of them unless generation asks for fewer) and whether it carries its
 * recurrent state from one forward pass to the next (truncated backpropagation through time).
 */
public final class SequenceMembers {
    public static final ClassName SEQUENCE_MODEL = ClassName.get("kiln.runtime", "SequenceModel");
    /** The field holding the steps the next forward pass runs; op rules read it. */
    public static final String ACTIVE_STEPS = "activeSteps";
    /** The field saying whether forward passes start from the carried state; op rules read it. */
    public static final String CARRY_STATE = "carryState";

    private SequenceMembers() {}

    /** Whether the graph reads sequences: it has a recurrent layer, an embedding or a one-hot node. */
    public static boolean appliesTo(Graph graph) {
        return graph.nodes().stream().anyMatch(n -> n.op() instanceof RecurrentOp || n.op() instanceof EmbeddingOp
                || n.op() instanceof OneHotOp);
    }

    /** Time steps of one sample: the model input's first axis. */
    public static int timeSteps(Graph graph) {
        return graph.input().shape().dim(0);
    }

    /** Labels per sample: one per step when the output is a sequence [steps, classes], else one. */
    public static int labelsPerSample(Graph graph) {
        return graph.output().shape().rank() == 2 ? graph.output().shape().dim(0) : 1;
    }

    public static void addTo(TypeSpec.Builder type, EmitContext ctx) {
        Graph graph = ctx.graph();
        int steps = timeSteps(graph);
        type.addSuperinterface(SEQUENCE_MODEL);
        type.addField(FieldSpec.builder(TypeName.INT, "TIME_STEPS", Modifier.PUBLIC, Modifier.STATIC, Modifier.FINAL)
                .initializer("$L", steps).build());
        type.addField(FieldSpec.builder(TypeName.INT, ACTIVE_STEPS, Modifier.PRIVATE)
                .addJavadoc("Time steps the next forward pass runs, 1..TIME_STEPS.\n").initializer("TIME_STEPS").build());
        type.addField(FieldSpec.builder(TypeName.BOOLEAN, CARRY_STATE, Modifier.PRIVATE)
                .addJavadoc("Whether a forward pass starts from the state the previous one ended with.\n").build());
        type.addMethod(override("timeSteps", TypeName.INT).addStatement("return TIME_STEPS").build());
        type.addMethod(override("labelsPerSample", TypeName.INT).addStatement("return $L", labelsPerSample(graph)).build());
        type.addMethod(override("setActiveSteps", TypeName.VOID).addParameter(TypeName.INT, "steps")
                .beginControlFlow("if (steps < 1 || steps > TIME_STEPS)")
                .addStatement("throw new IllegalArgumentException($S + steps)", "active steps must be in 1.." + steps + ", got ")
                .endControlFlow()
                .addStatement("$L = steps", ACTIVE_STEPS).build());
        type.addMethod(override("activeSteps", TypeName.INT).addStatement("return $L", ACTIVE_STEPS).build());
        type.addMethod(override("setCarryState", TypeName.VOID).addParameter(TypeName.BOOLEAN, "carry")
                .addStatement("$L = carry", CARRY_STATE).build());
        type.addMethod(override("carriesState", TypeName.BOOLEAN).addStatement("return $L", CARRY_STATE).build());
        MethodSpec.Builder reset = override("resetState", TypeName.VOID);
        java.util.List<String> states = new java.util.ArrayList<>();
        for (Node n : graph.nodes()) {
            if (!(n.op() instanceof RecurrentOp)) continue;
            states.addAll(RecurrentRule.stateArrays(n));
        }
        for (String state : states) reset.addStatement("$T.fill($L, 0f)", java.util.Arrays.class, state);
        type.addMethod(reset.build());
        type.addMethod(override("carriedState", com.palantir.javapoet.ParameterizedTypeName.get(java.util.List.class, float[].class))
                .addStatement("return $T.of($L)", java.util.List.class, String.join(", ", states)).build());
    }

    private static MethodSpec.Builder override(String name, TypeName returns) {
        return MethodSpec.methodBuilder(name).addAnnotation(Override.class).addModifiers(Modifier.PUBLIC).returns(returns);
    }
}
