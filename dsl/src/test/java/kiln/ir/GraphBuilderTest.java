package kiln.ir;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.List;
import kiln.dsl.Activation;
import kiln.dsl.Init;
import kiln.dsl.LossKind;
import org.junit.jupiter.api.Test;

/** The IR's own checks, for what the annotation front end cannot express (duplicate names, forward references). */
class GraphBuilderTest {
    private static DenseOp dense(int units) {
        return new DenseOp(units, true, Activation.RELU, Init.HE_NORMAL);
    }

    @Test
    void duplicateNameIsReportedOnTheSecondDeclaration() {
        GraphBuilder b = new GraphBuilder("M")
                .add("x", new InputOp(Shape.of(4)), List.of())
                .add("h", dense(3), List.of("x"))
                .add("h", dense(3), List.of("x"));
        IrException e = assertThrows(IrException.class, b::build);
        assertEquals("h", e.node());
        assertEquals("duplicate node name 'h': each node needs its own name", e.getMessage());
    }

    @Test
    void forwardReferencesAreOrderedTopologically() throws IrException {
        Graph g = new GraphBuilder("M")
                .add("loss", new LossOp(LossKind.MSE), List.of("out"))
                .add("out", dense(2), List.of("h"))
                .add("h", dense(3), List.of("x"))
                .add("x", new InputOp(Shape.of(4)), List.of())
                .build();
        assertEquals(List.of("x", "h", "out", "loss"), g.nodes().stream().map(Node::name).toList());
        assertEquals(Shape.of(2), g.output().shape());
    }

    @Test
    void residualJoinSumsGradientsFromBothReaders() throws IrException {
        Graph g = new GraphBuilder("M")
                .add("x", new InputOp(Shape.of(4)), List.of())
                .add("h", dense(4), List.of("x"))
                .add("sum", new AddOp(), List.of("x", "h"))
                .add("loss", new LossOp(LossKind.MSE), List.of("sum"))
                .build();
        assertEquals(2, g.input().consumers().size());
    }

    @Test
    void twoInputsFeedOneModel() throws IrException {
        Graph g = new GraphBuilder("M")
                .add("x", new InputOp(Shape.of(4)), List.of())
                .add("y", new InputOp(Shape.of(4)), List.of())
                .add("sum", new AddOp(), List.of("x", "y"))
                .add("loss", new LossOp(LossKind.MSE), List.of("sum"))
                .build();
        assertEquals(List.of("x", "y"), g.inputs().stream().map(Node::name).toList());
    }

    @Test
    void anInputNothingReadsIsRejectedAtTheInput() {
        GraphBuilder b = new GraphBuilder("M")
                .add("x", new InputOp(Shape.of(4)), List.of())
                .add("unused", new InputOp(Shape.of(2)), List.of())
                .add("loss", new LossOp(LossKind.MSE), List.of("x2"))
                .add("x2", dense(4), List.of("x"));
        IrException e = assertThrows(IrException.class, b::build);
        assertEquals("unused", e.node());
        assertEquals("input 'unused' is read by no node: connect it or remove it", e.getMessage());
    }

    @Test
    void aModelWithoutLossNeedsAnOutput() throws IrException {
        GraphBuilder none = new GraphBuilder("G")
                .add("z", new InputOp(Shape.of(4)), List.of())
                .add("fake", dense(8), List.of("z"));
        IrException e = assertThrows(IrException.class, none::build);
        assertEquals(null, e.node());
        Graph g = new GraphBuilder("G")
                .add("z", new InputOp(Shape.of(4)), List.of())
                .add("fake", dense(8), List.of("z"), NodeOptions.NONE.asOutput())
                .build();
        assertEquals(List.of("fake"), g.outputs().stream().map(Node::name).toList());
        assertEquals(null, g.dataLoss());
    }

    @Test
    void lossTermsTakeTargetsOfTheirOwnShape() {
        GraphBuilder b = new GraphBuilder("Ae")
                .add("x", new InputOp(Shape.of(4)), List.of())
                .add("code", dense(2), List.of("x"))
                .add("loss", new LossOp(LossKind.MSE), List.of("code", "x"));
        IrException e = assertThrows(IrException.class, b::build);
        assertEquals("loss", e.node());
        assertEquals("target", e.attribute());
        assertEquals("mse compares 'code' [2] with target 'x' [4]: they need one shape", e.getMessage());
    }

    @Test
    void onlyOneTermComparesWithTheData() {
        GraphBuilder b = new GraphBuilder("M")
                .add("x", new InputOp(Shape.of(4)), List.of())
                .add("a", dense(2), List.of("x"))
                .add("l1", new LossOp(LossKind.MSE), List.of("a"))
                .add("l2", new LossOp(LossKind.MSE), List.of("a"));
        IrException e = assertThrows(IrException.class, b::build);
        assertEquals("l2", e.node());
    }

    @Test
    void klNeedsAGaussianSample() {
        GraphBuilder b = new GraphBuilder("M")
                .add("x", new InputOp(Shape.of(4)), List.of())
                .add("mu", dense(2), List.of("x"))
                .add("kl", new LossOp(LossKind.KL_DIVERGENCE), List.of("mu"));
        IrException e = assertThrows(IrException.class, b::build);
        assertEquals("kl", e.node());
        assertEquals("kl_divergence reads a Gaussian's parameters from a gaussian_sample node, but 'mu' is a dense node:"
                + " point it at the @GaussianSample", e.getMessage());
    }

    @Test
    void aTiedWeightMustFitTransposed() {
        GraphBuilder b = new GraphBuilder("M")
                .add("x", new InputOp(Shape.of(6)), List.of())
                .add("enc", dense(3), List.of("x"))
                .add("dec", dense(5), List.of("enc"), new NodeOptions(false, false, 1, Double.NaN, null, "enc"))
                .add("loss", new LossOp(LossKind.MSE), List.of("dec"));
        IrException e = assertThrows(IrException.class, b::build);
        assertEquals("dec", e.node());
        assertEquals("transposeOf", e.attribute());
        assertEquals("'dec' needs a weight [5, 3] but 'enc'.weight transposed is [6, 3]: its units must be 6 and its input 3 wide",
                e.getMessage());
    }

    @Test
    void sharedParametersNeedOneShape() {
        GraphBuilder b = new GraphBuilder("M")
                .add("x", new InputOp(Shape.of(4)), List.of())
                .add("a", dense(4), List.of("x"))
                .add("b", dense(3), List.of("a"), new NodeOptions(false, false, 1, Double.NaN, "a", null))
                .add("loss", new LossOp(LossKind.MSE), List.of("b"));
        IrException e = assertThrows(IrException.class, b::build);
        assertEquals("sharedWith", e.attribute());
        assertEquals("'b'.weight would be [3, 4] but 'a'.weight is [4, 4]: shared parameters need one shape", e.getMessage());
    }
}
