package kiln.bench;

import kiln.dsl.Dense;
import kiln.dsl.Embedding;
import kiln.dsl.Init;
import kiln.dsl.Input;
import kiln.dsl.Layer;
import kiln.dsl.Loss;
import kiln.dsl.LossKind;
import kiln.dsl.Rnn;
import kiln.dsl.Model;

/**
 * pytorch_bench.py's "rnn": Embedding(65, 64), one tanh RNN layer of 256 returning every step,
 * Linear(256, 65) on every step; sequences of 64, batch 32, cross-entropy over the batch * 64 rows,
 * Adam lr 2e-3, gradient clipping at global norm 5, zero initial state every step.
 */
@Model(data = "shakespeare", batch = 32, lr = 2e-3, optimizer = "adam", clipNorm = 5)
public class BenchCharRnn {
    @Input(64) Layer chars;
    @Embedding(vocab = 65, dim = 64) Layer embed;
    @Rnn(hidden = 256) Layer rnn;
    @Dense(units = 65, init = Init.PYTORCH_UNIFORM) Layer head;
    @Loss(LossKind.SOFTMAX_CROSS_ENTROPY) Layer loss;
}
