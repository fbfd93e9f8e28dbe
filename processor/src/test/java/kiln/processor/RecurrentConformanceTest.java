package kiln.processor;

import static kiln.processor.Tolerance.assertClose;

import com.google.gson.JsonObject;
import java.util.Arrays;
import kiln.runtime.Batch;
import kiln.runtime.CompiledModel;
import kiln.runtime.Param;
import kiln.runtime.SequenceModel;
import kiln.runtime.optim.Adam;
import kiln.runtime.optim.Optimizer;
import kiln.runtime.optim.Sgd;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Recurrent models against the PyTorch float64 references {@code rnn_tanh} (many-to-many, a dense
 * head on every step, cross-entropy over the N*T rows), {@code lstm} (many-to-one, the head on
 * h_T) and {@code lstm_stacked} (token ids through an embedding into two LSTM layers, a head on
 * every step): the hidden-state sequence, the output, the loss, every parameter gradient and the
 * input gradient (none for token ids), then 3 steps of each optimizer, within the manifest's
 * float32 tolerances.
 */
class RecurrentConformanceTest {
    static final String RNN_TANH = """
            package fx;
            import kiln.dsl.*;
            @Model(data = "mnist")
            class RnnTanh {
                @Input({6, 4}) Layer input;
                @Rnn(hidden = 5) Layer rnn;
                @Dense(units = 3) Layer head;
                @Loss(LossKind.SOFTMAX_CROSS_ENTROPY) Layer loss;
            }
            """;
    static final String LSTM = """
            package fx;
            import kiln.dsl.*;
            @Model(data = "mnist")
            class LstmLast {
                @Input({6, 4}) Layer input;
                @Lstm(hidden = 5, returns = Returns.LAST) Layer lstm;
                @Dense(units = 3) Layer head;
                @Loss(LossKind.SOFTMAX_CROSS_ENTROPY) Layer loss;
            }
            """;

    static final String LSTM_STACKED = """
            package fx;
            import kiln.dsl.*;
            @Model
            class LstmStacked {
                @Input(5) Layer ids;
                @Embedding(vocab = 6, dim = 3) Layer emb;
                @Lstm(hidden = 4, layers = 2) Layer lstm;
                @Dense(units = 6) Layer head;
                @Loss(LossKind.SOFTMAX_CROSS_ENTROPY) Layer loss;
            }
            """;

    private static CompiledModel load(String fixture, int maxBatch, int threads) {
        return switch (fixture) {
            case "rnn_tanh" -> ModelCompiler.load("fx.RnnTanh", RNN_TANH, maxBatch, threads);
            case "lstm" -> ModelCompiler.load("fx.LstmLast", LSTM, maxBatch, threads);
            default -> ModelCompiler.load("fx.LstmStacked", LSTM_STACKED, maxBatch, threads);
        };
    }

    @ParameterizedTest
    @CsvSource({"rnn_tanh, 1", "rnn_tanh, 2", "lstm, 1", "lstm, 2", "lstm_stacked, 1", "lstm_stacked, 2"})
    void forwardLossAndGradientsMatchPyTorch(String name, int threads) throws Exception {
        Fixture fx = Fixture.load(name);
        try (CompiledModel model = load(name, fx.batchSize(), threads)) {
            FixtureConformanceTest.loadParams(model, fx.params());
            Batch batch = batch(model, fx);
            model.setInputGradients(true);

            model.forward(batch.x, batch.size);
            float loss = model.lossAndGrad(batch);
            model.backward(batch.x, batch.size);

            var intermediates = fx.json.getAsJsonObject("forward").getAsJsonObject("intermediates");
            switch (name) {
                case "rnn_tanh" -> assertClose("h_1..h_T", Fixture.data(intermediates.get("rnn.h_seq")), model.activation("rnn"), 1e-5, 1e-4);
                case "lstm" -> assertClose("h_T", lastSteps(Fixture.data(intermediates.get("lstm.h_seq")), 2, 6, 5),
                        model.activation("lstm"), 1e-5, 1e-4);
                default -> assertClose("top layer h_1..h_T", Fixture.data(intermediates.get("lstm.h_seq_l1")),
                        model.activation("lstm"), 1e-5, 1e-4);
            }
            assertClose("logits", fx.output(), model.activation("head"), 1e-5, 1e-4);
            assertClose("loss", fx.loss(), loss, 1e-5, 1e-4);
            for (Param p : model.params()) assertClose(p.name + " grad", fx.paramGrad(p.name), p.grad, 1e-5, 1e-4);
            if (!name.equals("lstm_stacked")) { // token ids have no gradient
                assertClose("input grad", fx.inputGrad(), model.inputGradient(model.inputNames().get(0)), 1e-5, 1e-4);
            }

            float[] probabilities = model.predict(batch.x, batch.size);
            assertClose("softmax", Fixture.data(fx.json.getAsJsonObject("forward").get("softmax")), probabilities, 1e-5, 1e-4);
        }
    }

    @ParameterizedTest
    @CsvSource({"rnn_tanh, sgd", "rnn_tanh, sgd_momentum_wd", "rnn_tanh, adam",
            "lstm, sgd", "lstm, sgd_momentum_wd", "lstm, adam", "lstm_stacked, sgd", "lstm_stacked, adam"})
    void threeOptimizerStepsMatchPyTorch(String name, String run) {
        Fixture fx = Fixture.load(name);
        JsonObject expected = fx.optimizer(run);
        try (CompiledModel model = load(name, fx.batchSize(), 1)) {
            FixtureConformanceTest.loadParams(model, fx.params());
            Batch batch = batch(model, fx);
            Optimizer opt = switch (run) {
                case "sgd" -> new Sgd(model.params(), 0.1, 0, 0, false);
                case "sgd_momentum_wd" -> new Sgd(model.params(), 0.05, 0.9, 5e-4, false);
                default -> new Adam(model.params(), 1e-2, 0.9, 0.999, 1e-8, 0);
            };
            var losses = expected.getAsJsonArray("losses");
            for (int step = 0; step < 3; step++) {
                model.forward(batch.x, batch.size);
                float loss = model.lossAndGrad(batch);
                assertClose(run + " loss before step " + (step + 1), losses.get(step).getAsDouble(), loss, 1e-4, 1e-3);
                model.backward(batch.x, batch.size);
                opt.step();
            }
            model.forward(batch.x, batch.size);
            assertClose(run + " loss after 3 steps", losses.get(3).getAsDouble(), model.loss(batch), 1e-4, 1e-3);
            JsonObject after = expected.getAsJsonObject("params_after");
            for (Param p : model.params()) {
                assertClose(run + " " + p.name + " after 3 steps", Fixture.data(after.get(p.name)), p.value, 1e-4, 1e-3);
            }
        }
    }

    /** The fixture's input, and its labels: [N, T] for the per-step model, [N] for the many-to-one. */
    static Batch batch(CompiledModel model, Fixture fx) {
        int n = fx.batchSize();
        Batch b = SequenceModel.batchFor(model, n);
        System.arraycopy(Fixture.floats(fx.input()), 0, b.x, 0, n * model.inputSize());
        double[] t = fx.target();
        for (int i = 0; i < t.length; i++) b.labels[i] = (int) t[i];
        b.size = n;
        return b;
    }

    /** h_T of each sample from h_1..h_T [n, steps, hidden]. */
    private static double[] lastSteps(double[] seq, int n, int steps, int hidden) {
        double[] last = new double[n * hidden];
        for (int b = 0; b < n; b++) System.arraycopy(seq, (b * steps + steps - 1) * hidden, last, b * hidden, hidden);
        return last;
    }

}
