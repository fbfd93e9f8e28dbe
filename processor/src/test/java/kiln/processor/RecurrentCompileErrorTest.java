package kiln.processor;

import static com.google.testing.compile.CompilationSubject.assertThat;

import com.google.testing.compile.Compilation;
import org.junit.jupiter.api.Test;

/**
 * Malformed recurrent and language models are compile errors at the offending field, naming the
 * problem; each case pins the message and the line.
 */
class RecurrentCompileErrorTest {
    private static Compilation compile(String data, String body) {
        return ModelCompiler.compile("bad.M", """
                package bad;
                import kiln.dsl.*;
                @Model(data = "%s")
                class M {
                """.formatted(data) + body + "}\n");
    }

    private static Compilation compile(String body) {
        return compile("mnist", body);
    }

    // Source lines: 1 package, 2 import, 3 @Model, 4 class, so the first body line is line 5.

    @Test
    void lstmOnAFlatInputNeedsASequence() {
        Compilation c = compile("""
                    @Input(8) Layer x;
                    @Lstm(hidden = 4) Layer lstm;
                    @Dense(units = 2) Layer logits;
                    @Loss(LossKind.SOFTMAX_CROSS_ENTROPY) Layer loss;
                """);
        assertThat(c).failed();
        assertThat(c).hadErrorContaining("lstm needs a sequence input of rank 2 [steps, features], but 'x' has shape [8]:"
                + " declare @Input({steps, features}), or turn token ids into vectors with @Embedding or @OneHot")
                .inFile(c.sourceFiles().get(0)).onLine(6);
    }

    @Test
    void gruOnAnImageNeedsASequence() {
        Compilation c = compile("""
                    @Input({1, 8, 8}) Layer image;
                    @Gru(hidden = 4, returns = Returns.LAST) Layer gru;
                    @Dense(units = 2) Layer logits;
                    @Loss(LossKind.SOFTMAX_CROSS_ENTROPY) Layer loss;
                """);
        assertThat(c).hadErrorContaining("gru needs a sequence input of rank 2 [steps, features], but 'image' has shape"
                + " [1, 8, 8]").inFile(c.sourceFiles().get(0)).onLine(6);
    }

    @Test
    void hiddenSizeMustBePositive() {
        Compilation c = compile("""
                    @Input({5, 3}) Layer x;
                    @Rnn(hidden = 0) Layer rnn;
                    @Dense(units = 2) Layer logits;
                    @Loss(LossKind.SOFTMAX_CROSS_ENTROPY) Layer loss;
                """);
        assertThat(c).hadErrorContaining("rnn_tanh hidden size must be >= 1, got 0").inFile(c.sourceFiles().get(0)).onLine(6);
    }

    @Test
    void dropoutNeedsStackedLayers() {
        Compilation c = compile("""
                    @Input({5, 3}) Layer x;
                    @Lstm(hidden = 4, dropout = 0.2) Layer lstm;
                    @Dense(units = 2) Layer logits;
                    @Loss(LossKind.SOFTMAX_CROSS_ENTROPY) Layer loss;
                """);
        assertThat(c).hadErrorContaining("lstm dropout applies between stacked layers, and with layers = 1 there are none:"
                + " set layers >= 2, or put a @Dropout node after 'lstm'").inFile(c.sourceFiles().get(0)).onLine(6);
    }

    @Test
    void embeddingReadsOnlyTheModelInput() {
        Compilation c = compile("""
                    @Input(8) Layer x;
                    @Dense(units = 4) Layer d;
                    @Embedding(vocab = 5, dim = 3) Layer embed;
                    @Lstm(hidden = 4) Layer lstm;
                    @Dense(units = 2) Layer logits;
                    @Loss(LossKind.SOFTMAX_CROSS_ENTROPY) Layer loss;
                """);
        assertThat(c).hadErrorContaining("embedding reads token ids, which only the model input carries, but 'd' is a dense"
                + " node").inFile(c.sourceFiles().get(0)).onLine(7);
    }

    @Test
    void embeddingNeedsOneTokenIdPerStep() {
        Compilation c = compile("""
                    @Input({8, 2}) Layer x;
                    @Embedding(vocab = 5, dim = 3) Layer embed;
                    @Lstm(hidden = 4) Layer lstm;
                    @Dense(units = 2) Layer logits;
                    @Loss(LossKind.SOFTMAX_CROSS_ENTROPY) Layer loss;
                """);
        assertThat(c).hadErrorContaining("embedding reads a sequence of token ids of rank 1 [steps], but 'x' has shape [8, 2]")
                .inFile(c.sourceFiles().get(0)).onLine(6);
    }

    @Test
    void languageModelEmbeddingVocabularyMustMatchTheLogits() {
        Compilation c = compile("shakespeare", """
                    @Input(16) Layer chars;
                    @Embedding(vocab = 65, dim = 8) Layer embed;
                    @Lstm(hidden = 8) Layer lstm;
                    @Dense(units = 64) Layer logits;
                    @Loss(LossKind.SOFTMAX_CROSS_ENTROPY) Layer loss;
                """);
        assertThat(c).hadErrorContaining("a character language model reads and predicts one vocabulary, but embedding 'embed'"
                + " reads 65 token ids while 'logits' predicts 64 classes: make them equal")
                .inFile(c.sourceFiles().get(0)).onLine(6);
    }

    @Test
    void languageModelOneHotWidthMustMatchTheLogits() {
        Compilation c = compile("shakespeare", """
                    @Input(16) Layer chars;
                    @OneHot(60) Layer onehot;
                    @Gru(hidden = 8) Layer gru;
                    @Dense(units = 64) Layer logits;
                    @Loss(LossKind.SOFTMAX_CROSS_ENTROPY) Layer loss;
                """);
        assertThat(c).hadErrorContaining("but one_hot 'onehot' reads 60 token ids while 'logits' predicts 64 classes")
                .inFile(c.sourceFiles().get(0)).onLine(6);
    }

    @Test
    void languageModelPredictsEveryStep() {
        Compilation c = compile("shakespeare", """
                    @Input(16) Layer chars;
                    @Embedding(vocab = 64, dim = 8) Layer embed;
                    @Lstm(hidden = 8, returns = Returns.LAST) Layer lstm;
                    @Dense(units = 64) Layer logits;
                    @Loss(LossKind.SOFTMAX_CROSS_ENTROPY) Layer loss;
                """);
        assertThat(c).hadErrorContaining("a character language model predicts the next character at every step, so its logits"
                + " must be [16, vocab], but 'logits' has shape [64]: let the recurrent layer return Returns.SEQUENCE")
                .inFile(c.sourceFiles().get(0)).onLine(8);
    }

    @Test
    void languageModelReadsTokenIds() {
        Compilation c = compile("shakespeare", """
                    @Input({16, 4}) Layer x;
                    @Lstm(hidden = 8) Layer lstm;
                    @Dense(units = 64) Layer logits;
                    @Loss(LossKind.SOFTMAX_CROSS_ENTROPY) Layer loss;
                """);
        assertThat(c).hadErrorContaining("a character language model reads token ids, one per step: declare @Input(steps)"
                + " followed by @Embedding or @OneHot, but 'x' has shape [16, 4]").inFile(c.sourceFiles().get(0)).onLine(5);
    }

    @Test
    void sequenceCrossEntropyNeedsTwoClasses() {
        Compilation c = compile("""
                    @Input({5, 3}) Layer x;
                    @Rnn(hidden = 4) Layer rnn;
                    @Dense(units = 1) Layer logits;
                    @Loss(LossKind.SOFTMAX_CROSS_ENTROPY) Layer loss;
                """);
        assertThat(c).hadErrorContaining("softmax_cross_entropy needs logits of shape [classes] (or [steps, classes], one"
                + " label per step) with at least 2 classes, but 'logits' has shape [5, 1]")
                .inFile(c.sourceFiles().get(0)).onLine(8);
    }
}
