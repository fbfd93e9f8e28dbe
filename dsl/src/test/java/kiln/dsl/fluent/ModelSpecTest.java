package kiln.dsl.fluent;

import static kiln.dsl.Activation.RELU;
import static kiln.dsl.Activation.SIGMOID;
import static kiln.dsl.LossKind.MSE;
import static kiln.dsl.LossKind.SOFTMAX_CROSS_ENTROPY;
import static kiln.dsl.fluent.Kiln.input;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Optional;
import kiln.dsl.Activation;
import kiln.dsl.Init;
import kiln.dsl.Returns;
import kiln.ir.ActivationOp;
import kiln.ir.AddOp;
import kiln.ir.BatchNormOp;
import kiln.ir.Conv2dOp;
import kiln.ir.ConvTranspose2dOp;
import kiln.ir.DenseOp;
import kiln.ir.DropoutOp;
import kiln.ir.EmbeddingOp;
import kiln.ir.FlattenOp;
import kiln.ir.GlobalAvgPoolOp;
import kiln.ir.Graph;
import kiln.ir.InputOp;
import kiln.ir.IrException;
import kiln.ir.LossOp;
import kiln.ir.OneHotOp;
import kiln.ir.Op;
import kiln.ir.Pool2dOp;
import kiln.ir.RecurrentOp;
import kiln.ir.Shape;
import org.junit.jupiter.api.Test;

/** The fluent builders as a running program sees them: declarations, names, and what they refuse. */
class ModelSpecTest {
    private static List<String> names(ModelSpec spec) {
        return spec.declarations().stream().map(ModelSpec.Declaration::name).toList();
    }

    @Test
    void chainDeclaresOneNodePerCallInOrder() {
        ModelSpec spec = input(784).dense(256, RELU).dense(10).loss(SOFTMAX_CROSS_ENTROPY);
        assertEquals(List.of("input", "dense1", "dense2", "loss"), names(spec));
        assertEquals(new InputOp(Shape.of(784)), spec.declarations().get(0).op());
        assertEquals(new DenseOp(256, true, RELU, Init.HE_NORMAL), spec.declarations().get(1).op());
        assertEquals(new DenseOp(10, true, Activation.IDENTITY, Init.HE_NORMAL), spec.declarations().get(2).op());
        assertEquals(new LossOp(SOFTMAX_CROSS_ENTROPY), spec.declarations().get(3).op());
        assertEquals(List.of("dense1"), spec.declarations().get(2).inputs());
        assertEquals(Optional.empty(), spec.name());
    }

    /** A default name counts every node of its kind, named or not: the second dense is dense2. */
    @Test
    void namedNodesKeepTheirNamesAndDefaultsCountPerKind() {
        ModelSpec spec = input(4).named("x").dense(8).named("hidden").relu().dense(2).tanh().sigmoid()
                .loss(MSE, "objective");
        assertEquals(List.of("x", "hidden", "relu1", "dense2", "tanh1", "sigmoid1", "objective"), names(spec));
        assertEquals(new ActivationOp(RELU), spec.declarations().get(2).op());
        assertEquals(List.of("hidden"), spec.declarations().get(2).inputs());
    }

    @Test
    void denseOptionsMatchTheAnnotation() {
        ModelSpec spec = input(4).dense(3, SIGMOID).init(Init.XAVIER_UNIFORM).withoutBias().named("out").loss(MSE);
        assertEquals(new DenseOp(3, false, SIGMOID, Init.XAVIER_UNIFORM), spec.declarations().get(1).op());
        assertEquals("out", spec.declarations().get(1).name());
    }

    @Test
    void localVariablesBranchAndAddJoins() throws IrException {
        Node stem = input(8).dense(8, RELU).named("stem");
        Node block = stem.dense(8, RELU).dense(8);
        Node joined = Kiln.add(stem, block).relu();
        ModelSpec spec = joined.dense(2).loss(MSE);
        ModelSpec.Declaration add = spec.declarations().get(4);
        assertEquals(new AddOp(), add.op());
        assertEquals(List.of("stem", "dense3"), add.inputs());
        Graph g = spec.graph("Residual").build();
        assertEquals(Shape.of(2), g.output().shape());
    }

    @Test
    void nodesCanBeReferredToByName() throws IrException {
        Node h = input(4).named("x").dense(4).named("h");
        ModelSpec spec = h.dense(4).add(h.node("x")).loss(MSE);
        assertEquals(List.of("dense2", "x"), spec.declarations().get(3).inputs());
        spec.graph("M").build();
    }

    @Test
    void anUnknownNameFailsInTheIrWithTheNodeThatReadsIt() {
        Node x = input(4);
        ModelSpec spec = x.add(x.node("nowhere")).loss(MSE);
        IrException e = assertThrows(IrException.class, () -> spec.graph("M").build());
        assertEquals("add1", e.node());
        assertTrue(e.getMessage().startsWith("unknown node 'nowhere'"), e.getMessage());
    }

    @Test
    void kilnModelNamesTheSpec() {
        ModelSpec spec = Kiln.model("mlp").input(4).dense(1).loss(MSE);
        assertEquals(Optional.of("mlp"), spec.name());
    }

    @Test
    void nothingCanBeAddedAfterTheLoss() {
        Node x = input(4);
        Node h = x.dense(2);
        h.loss(MSE);
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> h.dense(3));
        assertTrue(e.getMessage().startsWith("the model is finished"), e.getMessage());
        assertThrows(IllegalStateException.class, () -> h.named("late"));
        assertThrows(IllegalStateException.class, () -> x.loss(MSE));
    }

    @Test
    void nodesOfTwoModelsDoNotMix() {
        Node a = input(4);
        Node b = input(4);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> a.add(b));
        assertTrue(e.getMessage().contains("belongs to another model"), e.getMessage());
    }

    @Test
    void namesMustBeJavaIdentifiers() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> input(4).named("block 1"));
        assertTrue(e.getMessage().startsWith("'block 1' is not a Java identifier"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> Kiln.model("my-model"));
    }

    @Test
    void convolutionalOpsDeclareTheAnnotationsOps() throws IrException {
        ModelSpec spec = input(1, 28, 28)
                .conv2d(6, 5, RELU).padding(2).named("conv1")
                .maxPool2d(2)
                .conv2d(16, 5).stride(1).inChannels(6).init(Init.XAVIER_UNIFORM).withoutBias()
                .batchNorm(RELU).momentum(0.2).eps(1e-3)
                .avgPool2d(2, 2)
                .convTranspose2d(4, 2, RELU).stride(2).padding(0).outputPadding(1).inChannels(16)
                .globalAvgPool2d()
                .dropout(0.25)
                .dense(10)
                .loss(SOFTMAX_CROSS_ENTROPY);
        assertEquals(List.of("input", "conv1", "max_pool2d1", "conv2d2", "batch_norm1", "avg_pool2d1",
                "conv_transpose2d1", "global_avg_pool2d1", "dropout1", "dense1", "loss"), names(spec));
        List<Op> ops = spec.declarations().stream().map(ModelSpec.Declaration::op).toList();
        assertEquals(new Conv2dOp(0, 6, 5, 1, 2, true, RELU, Init.HE_NORMAL), ops.get(1));
        assertEquals(new Pool2dOp(Pool2dOp.Kind.MAX, 2, 2), ops.get(2));
        assertEquals(new Conv2dOp(6, 16, 5, 1, 0, false, Activation.IDENTITY, Init.XAVIER_UNIFORM), ops.get(3));
        assertEquals(new BatchNormOp(0.2, 1e-3, RELU), ops.get(4));
        assertEquals(new Pool2dOp(Pool2dOp.Kind.AVG, 2, 2), ops.get(5));
        assertEquals(new ConvTranspose2dOp(16, 4, 2, 2, 0, 1, true, RELU, Init.HE_NORMAL), ops.get(6));
        assertEquals(new GlobalAvgPoolOp(), ops.get(7));
        assertEquals(new DropoutOp(0.25), ops.get(8));
        assertEquals(Shape.of(4), spec.graph("Conv").build().nodes().get(7).shape());
    }

    @Test
    void flattenFeedsADenseAfterConvolutions() throws IrException {
        ModelSpec spec = input(1, 8, 8).conv2d(2, 3).maxPool2d(2, 2).flatten().dense(3).loss(SOFTMAX_CROSS_ENTROPY);
        Graph g = spec.graph("Flat").build();
        assertEquals(new FlattenOp(), g.nodes().get(3).op());
        assertEquals(Shape.of(18), g.nodes().get(3).shape());
    }

    @Test
    void recurrentOpsDeclareTheAnnotationsOps() throws IrException {
        Node tokens = input(12).named("tokens");
        ModelSpec spec = tokens.embedding(50, 8).named("embed")
                .lstm(16).layers(2, 0.25)
                .gru(8)
                .rnn(6).layers(1).returns(Returns.LAST)
                .dense(3)
                .add(tokens.oneHot(3).rnn(3).returns(Returns.LAST))
                .loss(SOFTMAX_CROSS_ENTROPY);
        assertEquals(List.of("tokens", "embed", "lstm1", "gru1", "rnn_tanh1", "dense1", "one_hot1", "rnn_tanh2",
                "add1", "loss"), names(spec));
        List<Op> ops = spec.declarations().stream().map(ModelSpec.Declaration::op).toList();
        assertEquals(new EmbeddingOp(50, 8, Init.NORMAL), ops.get(1));
        assertEquals(new RecurrentOp(RecurrentOp.Cell.LSTM, 16, 2, 0.25, Returns.SEQUENCE), ops.get(2));
        assertEquals(new RecurrentOp(RecurrentOp.Cell.GRU, 8, 1, 0, Returns.SEQUENCE), ops.get(3));
        assertEquals(new RecurrentOp(RecurrentOp.Cell.RNN_TANH, 6, 1, 0, Returns.LAST), ops.get(4));
        assertEquals(new OneHotOp(3), ops.get(6));
        Graph g = spec.graph("Sequence").build();
        assertEquals(Shape.of(12, 16), g.nodes().stream().filter(n -> n.name().equals("lstm1")).findFirst()
                .orElseThrow().shape());
    }

    @Test
    void toStringListsTheDeclarations() {
        ModelSpec spec = input(4).named("x").dense(2).loss(MSE);
        assertEquals("x = input()\ndense1 = dense(x)\nloss = loss mse(dense1)\n", spec.toString());
    }
}
