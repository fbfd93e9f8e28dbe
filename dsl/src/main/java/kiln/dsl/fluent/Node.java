package kiln.dsl.fluent;

import java.util.ArrayList;
import java.util.List;
import kiln.dsl.Activation;
import kiln.dsl.Init;
import kiln.dsl.LossKind;
import kiln.dsl.Reduction;
import kiln.dsl.Returns;
import kiln.ir.ActivationOp;
import kiln.ir.AddOp;
import kiln.ir.BatchNormOp;
import kiln.ir.ConcatOp;
import kiln.ir.Conv2dOp;
import kiln.ir.ConvTranspose2dOp;
import kiln.ir.DenseOp;
import kiln.ir.DropoutOp;
import kiln.ir.EmbeddingOp;
import kiln.ir.FlattenOp;
import kiln.ir.GlobalAvgPoolOp;
import kiln.ir.LeakyReluOp;
import kiln.ir.LossOp;
import kiln.ir.MultiplyOp;
import kiln.ir.NodeOptions;
import kiln.ir.NoiseOp;
import kiln.ir.OneHotOp;
import kiln.ir.Op;
import kiln.ir.Pool2dOp;
import kiln.ir.RecurrentOp;
import kiln.ir.SliceOp;

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
    List<Node> inputs;
    NodeOptions options = NodeOptions.NONE;
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

    /** Another input of this model (a caption's tokens beside its image), named {@code input2}, ... unless named. */
    public Node input(int... dims) {
        return draft.input(dims);
    }

    /**
     * Marks this node as an output: its value is always kept, and callers may seed its gradient
     * (a generator driven by a discriminator's input gradient). A model without a loss needs one.
     */
    public Node output() {
        options = own().options.asOutput();
        return this;
    }

    /** Freezes this node's parameters: no gradient, no optimizer state (a pretrained or fixed layer). */
    public Node frozen() {
        NodeOptions o = own().options;
        options = new NodeOptions(o.output(), true, o.lrScale(), o.weightDecay(), o.sharedWith(), o.transposeOf());
        return this;
    }

    /** Multiplies the learning rate for this node's parameters by {@code scale}. */
    public Node lrScale(double scale) {
        NodeOptions o = own().options;
        options = new NodeOptions(o.output(), o.frozen(), scale, o.weightDecay(), o.sharedWith(), o.transposeOf());
        return this;
    }

    /** This node's parameters' own weight decay, instead of the run's. */
    public Node weightDecay(double decay) {
        NodeOptions o = own().options;
        options = new NodeOptions(o.output(), o.frozen(), o.lrScale(), decay, o.sharedWith(), o.transposeOf());
        return this;
    }

    /** Uses {@code owner}'s parameters (the same tensors, gradients summed) instead of new ones of this node's own. */
    public Node sharedWith(Node owner) {
        draft.checkSameModel(owner);
        NodeOptions o = own().options;
        options = new NodeOptions(o.output(), o.frozen(), o.lrScale(), o.weightDecay(), owner.name(), o.transposeOf());
        return this;
    }

    /** For a dense layer: its weight is {@code owner}'s weight transposed (a tied decoder); its bias stays its own. */
    public Node transposeOf(Node owner) {
        draft.checkSameModel(owner);
        NodeOptions o = own().options;
        options = new NodeOptions(o.output(), o.frozen(), o.lrScale(), o.weightDecay(), o.sharedWith(), owner.name());
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
        return join(new AddOp(), other, more);
    }

    /** Element-wise product of this node and others of the same shape (a gate, a mask). */
    public Node multiply(Node other, Node... more) {
        return join(new MultiplyOp(), other, more);
    }

    /** This node and others joined along the last axis (features). */
    public Node concat(Node other, Node... more) {
        return join(new ConcatOp(-1), other, more);
    }

    /** This node and others joined along {@code axis} of the sample (0: an image's channels; -1: the last). */
    public Node concat(int axis, Node other, Node... more) {
        return join(new ConcatOp(axis), other, more);
    }

    private Node join(Op op, Node other, Node... more) {
        List<Node> all = new ArrayList<>();
        all.add(this);
        all.add(other);
        if (more != null) all.addAll(List.of(more));
        for (Node n : all) draft.checkSameModel(n);
        return draft.declare(new Node(draft, op, all));
    }

    /** Positions [start, end) of the last axis. */
    public Node slice(int start, int end) {
        return then(new SliceOp(-1, start, end));
    }

    /** Positions [start, end) of axis {@code axis} of the sample. */
    public Node slice(int axis, int start, int end) {
        return then(new SliceOp(axis, start, end));
    }

    /** LeakyReLU with PyTorch's default slope 0.01. */
    public Node leakyRelu() {
        return leakyRelu(0.01);
    }

    /** LeakyReLU: x for x > 0, slope * x otherwise. */
    public Node leakyRelu(double slope) {
        return then(new LeakyReluOp(slope));
    }

    /** Adds N(0, sigma^2) noise to every value in training; the identity in inference. */
    public Node gaussianNoise(double sigma) {
        return then(new NoiseOp(NoiseOp.Kind.GAUSSIAN, sigma));
    }

    /** Sets each value to 0 with probability {@code rate} in training (no rescaling); the identity in inference. */
    public Node maskingNoise(double rate) {
        return then(new NoiseOp(NoiseOp.Kind.MASKING, rate));
    }

    /** Ends the chain with one loss term on this node against the data's labels or targets; named {@code loss}. */
    public ModelSpec loss(LossKind kind) {
        return lossTerm(kind).named("loss").done();
    }

    /** Ends the chain with one loss term on this node, naming it. */
    public ModelSpec loss(LossKind kind, String name) {
        return lossTerm(kind).named(name).done();
    }

    /** Ends the chain with one loss term comparing this node with {@code target} (an autoencoder's own input). */
    public ModelSpec loss(LossKind kind, Node target) {
        return lossTerm(kind).target(target).done();
    }

    /**
     * A loss term on this node, to combine with others in {@link Kiln#minimize}: set its target,
     * weight, reduction and name on the term.
     */
    public LossTerm lossTerm(LossKind kind) {
        draft.checkOpen();
        if (kind == null) throw new IllegalArgumentException("a loss term needs a LossKind");
        return draft.declare(new LossTerm(draft, new LossOp(kind, 1, Reduction.DEFAULT), this));
    }

    /** This node, when it is not a reference by name (whose options are set where it is declared). */
    private Node own() {
        draft.checkOpen();
        if (reference) {
            throw new IllegalStateException("node(\"" + this.name + "\") refers to a node by name; set its options where it is declared");
        }
        return this;
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
