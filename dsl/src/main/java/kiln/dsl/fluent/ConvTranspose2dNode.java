package kiln.dsl.fluent;

import java.util.List;
import kiln.dsl.Init;
import kiln.ir.ConvTranspose2dOp;

/** A transposed convolution node, with the options of {@code @ConvTranspose2d}. */
public final class ConvTranspose2dNode extends Node {
    ConvTranspose2dNode(Draft draft, ConvTranspose2dOp op, Node input) {
        super(draft, op, List.of(input));
    }

    private ConvTranspose2dNode with(ConvTranspose2dOp changed) {
        draft.checkOpen();
        op = changed;
        return this;
    }

    private ConvTranspose2dOp conv() {
        return (ConvTranspose2dOp) op;
    }

    public ConvTranspose2dNode stride(int stride) {
        ConvTranspose2dOp c = conv();
        return with(new ConvTranspose2dOp(c.inChannels(), c.outChannels(), c.kernel(), stride, c.padding(),
                c.outputPadding(), c.bias(), c.activation(), c.init()));
    }

    public ConvTranspose2dNode padding(int padding) {
        ConvTranspose2dOp c = conv();
        return with(new ConvTranspose2dOp(c.inChannels(), c.outChannels(), c.kernel(), c.stride(), padding,
                c.outputPadding(), c.bias(), c.activation(), c.init()));
    }

    /** Extra rows and columns at the bottom and right of the output (less than the stride). */
    public ConvTranspose2dNode outputPadding(int outputPadding) {
        ConvTranspose2dOp c = conv();
        return with(new ConvTranspose2dOp(c.inChannels(), c.outChannels(), c.kernel(), c.stride(), c.padding(),
                outputPadding, c.bias(), c.activation(), c.init()));
    }

    public ConvTranspose2dNode inChannels(int inChannels) {
        ConvTranspose2dOp c = conv();
        return with(new ConvTranspose2dOp(inChannels, c.outChannels(), c.kernel(), c.stride(), c.padding(),
                c.outputPadding(), c.bias(), c.activation(), c.init()));
    }

    public ConvTranspose2dNode init(Init init) {
        ConvTranspose2dOp c = conv();
        return with(new ConvTranspose2dOp(c.inChannels(), c.outChannels(), c.kernel(), c.stride(), c.padding(),
                c.outputPadding(), c.bias(), c.activation(), init));
    }

    public ConvTranspose2dNode withoutBias() {
        ConvTranspose2dOp c = conv();
        return with(new ConvTranspose2dOp(c.inChannels(), c.outChannels(), c.kernel(), c.stride(), c.padding(),
                c.outputPadding(), false, c.activation(), c.init()));
    }

    @Override
    public ConvTranspose2dNode named(String name) {
        super.named(name);
        return this;
    }
}
