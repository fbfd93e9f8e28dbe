package kiln.processor.fusion;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import kiln.dsl.LossKind;
import kiln.dsl.fluent.Kiln;
import kiln.dsl.fluent.Node;
import kiln.ir.Graph;
import org.junit.jupiter.api.Test;

/** Which token lookups a recurrent layer does itself: only those it alone reads. */
class FusionPlanTest {
    @Test
    void anEmbeddingReadOnlyByARecurrentLayerIsLookedUpThere() throws Exception {
        Graph g = Kiln.input(12).embedding(30, 8).named("embed").lstm(16).named("lstm").dense(30).named("head")
                .loss(LossKind.SOFTMAX_CROSS_ENTROPY).graph("M").build();
        FusionPlan plan = new FusionPlan(g);
        assertEquals(node(g, "embed"), plan.lookupOf(node(g, "lstm")));
        assertTrue(plan.isAbsorbed(node(g, "embed")));
        assertTrue(plan.isUnstored(node(g, "embed")));
    }

    @Test
    void aOneHotReadOnlyByARecurrentLayerIsLookedUpThere() throws Exception {
        Graph g = Kiln.input(12).oneHot(30).named("onehot").gru(16).named("gru").dense(30)
                .loss(LossKind.SOFTMAX_CROSS_ENTROPY).graph("M").build();
        assertEquals(node(g, "onehot"), new FusionPlan(g).lookupOf(node(g, "gru")));
    }

    @Test
    void anEmbeddingWithAnotherReaderKeepsItsBuffer() throws Exception {
        Node embed = Kiln.input(12).embedding(30, 16).named("embed");
        Node rnn = embed.rnn(16).named("rnn");
        Graph g = Kiln.add(embed, rnn).named("join").dense(30).loss(LossKind.SOFTMAX_CROSS_ENTROPY).graph("M").build();
        FusionPlan plan = new FusionPlan(g);
        assertNull(plan.lookupOf(node(g, "rnn")));
        assertFalse(plan.isAbsorbed(node(g, "embed")));
        assertFalse(plan.isUnstored(node(g, "embed")));
    }

    private static kiln.ir.Node node(Graph g, String name) {
        return g.nodes().stream().filter(n -> n.name().equals(name)).findFirst().orElseThrow();
    }
}
