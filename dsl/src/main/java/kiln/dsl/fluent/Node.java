package kiln.dsl.fluent;

import java.util.ArrayList;
import java.util.List;
import kiln.dsl.Activation;
import kiln.dsl.Init;
import kiln.dsl.LossKind;
import kiln.dsl.Returns;
import kiln.ir.ActivationOp;
import kiln.ir.AddOp;
import kiln.ir.BatchNormOp;
import kiln.ir.Conv2dOp;
import kiln.ir.ConvTranspose2dOp;
import kiln.ir.DenseOp;
import kiln.ir.DropoutOp;
import kiln.ir.EmbeddingOp;
import kiln.ir.FlattenOp;
import kiln.ir.GlobalAvgPoolOp;
import kiln.ir.LossOp;
import kiln.ir.OneHotOp;
import kiln.ir.Op;
import kiln.ir.Pool2dOp;
import kiln.ir.RecurrentOp;

/**
 * A node of a model being declared: continue the chain from it ({@code x.dense(128, RELU)}), or
 * keep it in a local variable to branch from and join later ({@code stem.add(block)}).
 *
 * <p>Adding an op to the DSL is one method here, {@code return then(new SomeOp(...));}: the
 * build-time evaluator calls these methods by reflection, so it needs no change.
 */
public class Node {
    private static final String NODE_NAME = "a node name becomes a field name in the generated code";

    final Draft draft;
    Op op;
    final List<Node> inputs;
    private String name;
    private final boolean reference;

    Node(Draft draft, Op op, List<Node> inputs) {
        this.draft = draft;
        this.op = op;
        this.inputs = List.copyOf(inputs);
        this.name = draft.defaultName(op);
        this.reference = false;
    }

    private Node(Draft draft, String referencedName) {
        this.draft = draft;
        this.op = null;
        this.inputs = List.of();
        this.name = referencedName;
        this.reference = true;
    }

    /** The node's name: as given to {@link #named}, or its default (e.g. {@code dense2}). */
    public final String name() {
        return name;
    }

    /** Names this node: parameters are then {@code <name>.weight}, {@code <name>.bias}. */
    public Node named(String name) {
        draft.checkOpen();
        if (reference) {
            throw new IllegalStateException("node(\"" + this.name + "\") refers to a node by name; rename that node"
                    + " where it is declared");
        }
        this.name = checkName(name, NODE_NAME);
        return this;
    }

    /** The node named {@code name} in this model, declared before or after: for joins written by name. */
    public Node node(String name) {
        draft.checkOpen();
        return new Node(draft, checkName(name, NODE_NAME));
    }

    /** A fully connected layer without activation: y = x W^T + b, W [units, in], He-normal init. */
    public DenseNode dense(int units) {
        return dense(units, Activation.IDENTITY);
    }

    /** A fully connected layer with an element-wise activation fused in: y = activation(x W^T + b). */
    public DenseNode dense(int units, Activation activation) {
        return draft.declare(new DenseNode(draft, new DenseOp(units, true, activation, Init.HE_NORMAL), this));
    }

    /** An activation as a node of its own (element-wise, or a row-wise softmax). */
    public Node activation(Activation activation) {
        return then(new ActivationOp(activation));
    }

    public Node relu() {
        return activation(Activation.RELU);
    }

    public Node sigmoid() {
        return activation(Activation.SIGMOID);
    }

    public Node tanh() {
        return activation(Activation.TANH);
    }

    /** Softmax over a sample; not needed before SOFTMAX_CROSS_ENTROPY, which takes logits. */
    public Node softmax() {
        return activation(Activation.SOFTMAX);
    }

    /** A 2-D convolution over an image [channels, height, width], as PyTorch's nn.Conv2d (stride 1, no padding). */
    public Conv2dNode conv2d(int outChannels, int kernel) {
        return conv2d(outChannels, kernel, Activation.IDENTITY);
    }

    /** A 2-D convolution with an element-wise activation fused in. */
    public Conv2dNode conv2d(int outChannels, int kernel, Activation activation) {
        return draft.declare(new Conv2dNode(draft,
                new Conv2dOp(0, outChannels, kernel, 1, 0, true, activation, Init.HE_NORMAL), this));
    }

    /** A transposed 2-D convolution (up-sampling), as PyTorch's nn.ConvTranspose2d (stride 1, no padding). */
    public ConvTranspose2dNode convTranspose2d(int outChannels, int kernel) {
        return convTranspose2d(outChannels, kernel, Activation.IDENTITY);
    }

    /** A transposed 2-D convolution with an element-wise activation fused in. */
    public ConvTranspose2dNode convTranspose2d(int outChannels, int kernel, Activation activation) {
        return draft.declare(new ConvTranspose2dNode(draft,
                new ConvTranspose2dOp(0, outChannels, kernel, 1, 0, 0, true, activation, Init.HE_NORMAL), this));
    }

    /** Max-pooling over non-overlapping kernel x kernel windows of each channel. */
    public Node maxPool2d(int kernel) {
        return maxPool2d(kernel, kernel);
    }

    public Node maxPool2d(int kernel, int stride) {
        return then(new Pool2dOp(Pool2dOp.Kind.MAX, kernel, stride));
    }

    /** Average-pooling over non-overlapping kernel x kernel windows of each channel. */
    public Node avgPool2d(int kernel) {
        return avgPool2d(kernel, kernel);
    }

    public Node avgPool2d(int kernel, int stride) {
        return then(new Pool2dOp(Pool2dOp.Kind.AVG, kernel, stride));
    }

    /** The mean of each channel: [channels, height, width] to [channels]. */
    public Node globalAvgPool2d() {
        return then(new GlobalAvgPoolOp());
    }

    /** [channels, height, width] viewed as one flat axis, for a dense layer after convolutions. */
    public Node flatten() {
        return then(new FlattenOp());
    }

    /** Inverted dropout with drop probability {@code rate} in training; the identity in inference. */
    public Node dropout(double rate) {
        return then(new DropoutOp(rate));
    }

    /** Batch normalisation per channel (momentum 0.1, eps 1e-5). */
    public BatchNormNode batchNorm() {
        return batchNorm(Activation.IDENTITY);
    }

    /** Batch normalisation per channel, then an element-wise activation in the same pass. */
    public BatchNormNode batchNorm(Activation activation) {
        return draft.declare(new BatchNormNode(draft, new BatchNormOp(0.1, 1e-5, activation), this));
    }

    /** A vanilla tanh RNN over a sequence [steps, features], as PyTorch's nn.RNN. */
    public RecurrentNode rnn(int hidden) {
        return recurrent(RecurrentOp.Cell.RNN_TANH, hidden);
    }

    /** An LSTM over a sequence [steps, features], as PyTorch's nn.LSTM. */
    public RecurrentNode lstm(int hidden) {
        return recurrent(RecurrentOp.Cell.LSTM, hidden);
    }

    /** A GRU over a sequence [steps, features], as PyTorch's nn.GRU. */
    public RecurrentNode gru(int hidden) {
        return recurrent(RecurrentOp.Cell.GRU, hidden);
    }

    private RecurrentNode recurrent(RecurrentOp.Cell cell, int hidden) {
        return draft.declare(new RecurrentNode(draft, new RecurrentOp(cell, hidden, 1, 0, Returns.SEQUENCE), this));
    }

    /** Token ids (the model input, [steps]) to vectors [steps, dim], as nn.Embedding; the table starts Normal(0, 1). */
    public Node embedding(int vocab, int dim) {
        return embedding(vocab, dim, Init.NORMAL);
    }

    public Node embedding(int vocab, int dim, Init init) {
        return then(new EmbeddingOp(vocab, dim, init));
    }

    /** Token ids (the model input, [steps]) to one-hot vectors [steps, classes]. */
    public Node oneHot(int classes) {
        return then(new OneHotOp(classes));
    }

    /** Element-wise sum of this node and others of the same shape: a residual join. */
    public Node add(Node other, Node... more) {
        List<Node> all = new ArrayList<>();
        all.add(this);
        all.add(other);
        if (more != null) all.addAll(List.of(more));
        for (Node n : all) draft.checkSameModel(n);
        return draft.declare(new Node(draft, new AddOp(), all));
    }

    /** Ends the chain with the training objective on this node; the loss node is named {@code loss}. */
    public ModelSpec loss(LossKind kind) {
        return loss(kind, "loss");
    }

    /** Ends the chain with the training objective on this node, naming the loss node. */
    public ModelSpec loss(LossKind kind, String name) {
        draft.checkOpen();
        if (kind == null) throw new IllegalArgumentException("loss needs a LossKind");
        Node loss = new Node(draft, new LossOp(kind), List.of(this)).named(name);
        return draft.finish(loss);
    }

    /** Declares a node computing {@code op} over this one. */
    final Node then(Op op) {
        if (op == null) throw new IllegalArgumentException("an op is null");
        return draft.declare(new Node(draft, op, List.of(this)));
    }

    /** Names become Java names in the generated code, as a field's name does in a @Model class. */
    static String checkName(String name, String why) {
        boolean identifier = name != null && !name.isEmpty() && Character.isJavaIdentifierStart(name.charAt(0))
                && name.chars().allMatch(Character::isJavaIdentifierPart);
        if (!identifier) {
            throw new IllegalArgumentException("'" + name + "' is not a Java identifier: " + why
                    + ", so use letters, digits and _");
        }
        return name;
    }

    @Override
    public String toString() {
        return name;
    }
}
