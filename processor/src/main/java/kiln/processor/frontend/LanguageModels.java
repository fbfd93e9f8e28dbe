package kiln.processor.frontend;

import kiln.dsl.LossKind;
import kiln.ir.EmbeddingOp;
import kiln.ir.Graph;
import kiln.ir.IrException;
import kiln.ir.Node;
import kiln.ir.OneHotOp;

/**
 * Models trained on a text ({@code @Model(data = "shakespeare")}) are character language models:
 * they read token ids and predict the next token at every step, over one vocabulary. Their
 * generated main trains them by truncated backpropagation through time and writes text, so the
 * graph must have that shape; this check says where it does not.
 */
public final class LanguageModels {
    private LanguageModels() {}

    public static boolean isText(String data) {
        return kiln.dsl.TrainingNames.isText(data);
    }

    /** Throws, naming the node and attribute at fault, unless {@code graph} is a character language model. */
    public static void check(Graph graph) throws IrException {
        Node input = graph.input(), output = graph.output();
        if (input.shape().rank() != 1) {
            throw new IrException(input.name(), "value", "a character language model reads token ids, one per step:"
                    + " declare @Input(steps) followed by @Embedding or @OneHot, but '" + input.name() + "' has shape "
                    + input.shape());
        }
        if (graph.inputs().size() != 1) {
            throw new IrException(graph.inputs().get(1).name(), "a character language model reads one input, the token ids,"
                    + " but '" + graph.inputs().get(1).name() + "' is a second one");
        }
        if (graph.lossKind() != LossKind.SOFTMAX_CROSS_ENTROPY) {
            Node term = graph.dataLoss() != null ? graph.dataLoss() : graph.losses().isEmpty() ? output : graph.losses().get(0);
            throw new IrException(term.name(), "value", "a character language model is trained with"
                    + " SOFTMAX_CROSS_ENTROPY on the next character, not " + graph.lossKind());
        }
        int steps = input.shape().dim(0);
        if (output.shape().rank() != 2 || output.shape().dim(0) != steps) {
            throw new IrException(output.name(), "a character language model predicts the next character at every step,"
                    + " so its logits must be [" + steps + ", vocab], but '" + output.name() + "' has shape " + output.shape()
                    + ": let the recurrent layer return Returns.SEQUENCE");
        }
        int classes = output.shape().dim(1);
        for (Node n : graph.nodes()) {
            int vocab;
            String attribute;
            if (n.op() instanceof EmbeddingOp e) {
                vocab = e.vocab();
                attribute = "vocab";
            } else if (n.op() instanceof OneHotOp o) {
                vocab = o.classes();
                attribute = "value";
            } else {
                continue;
            }
            if (vocab != classes) {
                throw new IrException(n.name(), attribute, "a character language model reads and predicts one vocabulary,"
                        + " but " + n.op().kind() + " '" + n.name() + "' reads " + vocab + " token ids while '"
                        + output.name() + "' predicts " + classes + " classes: make them equal");
            }
        }
    }
}
