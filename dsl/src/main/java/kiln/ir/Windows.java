package kiln.ir;

/**
 * Shape rules shared by the windowed image ops (convolutions and pooling): images are
 * [channels, height, width]; a window of {@code kernel} slides by {@code stride} over the input
 * padded with {@code padding} zeros on each side.
 */
final class Windows {
    private Windows() {}

    /** Throws unless {@code in} is an image [channels, height, width]. */
    static void requireImage(String node, String op, Node in) throws IrException {
        if (in.shape().rank() != 3) {
            throw new IrException(node, "from", op + " needs an image input [channels, height, width], but '" + in.name()
                    + "' has shape " + in.shape() + (in.shape().rank() == 1
                            ? ": declare the input with its image shape, e.g. @Input({1, 28, 28})" : ""));
        }
    }

    /**
     * The output size along one axis, {@code floor((size + 2 padding - kernel) / stride) + 1}.
     * Rejects a kernel larger than the padded input, and a stride that leaves input rows or columns
     * (not just padding) that no window reads: the output size would not be whole.
     */
    static int outputSize(String node, String op, Node in, String axis, int size, int kernel, int stride, int padding)
            throws IrException {
        Shape s = in.shape();
        if (kernel > size + 2 * padding) {
            throw new IrException(node, "kernel", op + " kernel " + kernel + " is larger than the padded input: '" + in.name()
                    + "' is " + s + ", " + s.dim(1) + "x" + s.dim(2) + (padding > 0 ? " padded by " + padding + " on each side" : ""));
        }
        int span = size + 2 * padding - kernel;
        int unread = span % stride - padding; // trailing input rows no window reaches (the rest is padding)
        if (unread > 0) {
            String formula = padding > 0
                    ? "(" + size + " + 2*" + padding + " - " + kernel + ")"
                    : "(" + size + " - " + kernel + ")";
            throw new IrException(node, "stride", op + " output size is not whole: " + formula + " / " + stride + " + 1 = "
                    + (span / (double) stride + 1) + ", so the last " + unread + " " + axis + (unread == 1 ? "" : "s")
                    + " of '" + in.name() + "' " + s + " would never be read: change kernel, stride or padding");
        }
        return span / stride + 1;
    }

    static void requirePositive(String node, String attribute, String op, int value) throws IrException {
        if (value < 1) throw new IrException(node, attribute, op + " " + attribute + " must be >= 1, got " + value);
    }

    /** Throws unless {@code declared} (0: not declared) matches the input's channels. */
    static void requireChannels(String node, String op, Node in, int declared) throws IrException {
        if (declared < 0) throw new IrException(node, "inChannels", op + " inChannels must be >= 0, got " + declared);
        if (declared != 0 && declared != in.shape().dim(0)) {
            throw new IrException(node, "inChannels", "channel mismatch: " + op + " '" + node + "' expects inChannels = "
                    + declared + " but '" + in.name() + "' has " + in.shape().dim(0) + " channels (shape " + in.shape() + ")");
        }
    }
}
