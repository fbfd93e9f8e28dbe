package kiln.samples.text;

import kiln.dsl.Dense;
import kiln.dsl.Embedding;
import kiln.dsl.Gru;
import kiln.dsl.Init;
import kiln.dsl.Input;
import kiln.dsl.Layer;
import kiln.dsl.Loss;
import kiln.dsl.LossKind;
import kiln.dsl.Model;

/**
 * {@link CharLstm} with GRU layers instead of LSTM layers: the same embedding, two stacked GRU
 * layers of 256 with dropout 0.2 between them, the same head and training.
 */
@Model(data = "shakespeare", epochs = 30, batch = 32, lr = 2e-3, optimizer = "adam", clipNorm = 5)
public class CharGru {
    @Input(128) Layer chars;
    @Embedding(vocab = 74, dim = 64) Layer embed;
    @Gru(hidden = 256, layers = 2, dropout = 0.2) Layer gru;
    @Dense(units = 74, init = Init.PYTORCH_UNIFORM) Layer logits;
    @Loss(LossKind.SOFTMAX_CROSS_ENTROPY) Layer loss;
}
