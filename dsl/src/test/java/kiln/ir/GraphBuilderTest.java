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
    void secondInputIsRejected() {
        GraphBuilder b = new GraphBuilder("M")
                .add("x", new InputOp(Shape.of(4)), List.of())
                .add("y", new InputOp(Shape.of(4)), List.of())
                .add("sum", new AddOp(), List.of("x", "y"))
                .add("loss", new LossOp(LossKind.MSE), List.of("sum"));
        IrException e = assertThrows(IrException.class, b::build);
        assertEquals("a model has exactly one input, but 'x' and 'y' are both inputs", e.getMessage());
    }
}
