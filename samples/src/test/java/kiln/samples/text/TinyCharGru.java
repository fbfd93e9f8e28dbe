package kiln.samples.text;

import kiln.dsl.Dense;
import kiln.dsl.Embedding;
import kiln.dsl.Gru;
import kiln.dsl.Input;
import kiln.dsl.Layer;
import kiln.dsl.Loss;
import kiln.dsl.LossKind;
import kiln.dsl.Model;

/** A small character model for tests: 24-character chunks, an embedding of 8, one GRU layer of 48. */
@Model(data = "shakespeare", epochs = 4, batch = 8, lr = 1e-2, optimizer = "adam", clipNorm = 5)
public class TinyCharGru {
    @Input(24) Layer chars;
    @Embedding(vocab = 20, dim = 8) Layer embed;
    @Gru(hidden = 48) Layer gru;
    @Dense(units = 20) Layer logits;
    @Loss(LossKind.SOFTMAX_CROSS_ENTROPY) Layer loss;
}
