package kiln.dsl.fluent;

import java.util.List;
import kiln.dsl.Init;
import kiln.ir.Conv2dOp;

/** A convolution node, with the options of {@code @Conv2d}: stride 1, no padding, bias, He-normal init unless stated. */
public final class Conv2dNode extends Node {
    Conv2dNode(Draft draft, Conv2dOp op, Node input) {
        super(draft, op, List.of(input));
    }

    private Conv2dNode with(Conv2dOp changed) {
        draft.checkOpen();
        op = changed;
        return this;
    }

    private Conv2dOp conv() {
        return (Conv2dOp) op;
    }

    public Conv2dNode stride(int stride) {
        Conv2dOp c = conv();
        return with(new Conv2dOp(c.inChannels(), c.outChannels(), c.kernel(), stride, c.padding(), c.bias(),
                c.activation(), c.init()));
    }

    /** Zero padding on all four sides. */
    public Conv2dNode padding(int padding) {
        Conv2dOp c = conv();
        return with(new Conv2dOp(c.inChannels(), c.outChannels(), c.kernel(), c.stride(), padding, c.bias(),
                c.activation(), c.init()));
    }

    /** The input channels this layer expects: a mismatch fails the build (by default they are taken from the input). */
    public Conv2dNode inChannels(int inChannels) {
        Conv2dOp c = conv();
        return with(new Conv2dOp(inChannels, c.outChannels(), c.kernel(), c.stride(), c.padding(), c.bias(),
                c.activation(), c.init()));
    }

    public Conv2dNode init(Init init) {
        Conv2dOp c = conv();
        return with(new Conv2dOp(c.inChannels(), c.outChannels(), c.kernel(), c.stride(), c.padding(), c.bias(),
                c.activation(), init));
    }

    public Conv2dNode withoutBias() {
        Conv2dOp c = conv();
        return with(new Conv2dOp(c.inChannels(), c.outChannels(), c.kernel(), c.stride(), c.padding(), false,
                c.activation(), c.init()));
    }

    @Override
    public Conv2dNode named(String name) {
        super.named(name);
        return this;
    }
}
