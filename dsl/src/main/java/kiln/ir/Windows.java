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
     * The output size along one axis, {@code floor((size + 2 padding - kernel) / stride) + 1}, as
     * PyTorch computes it; {@link #unread} says which trailing rows or columns that leaves unread.
     * Rejects a kernel larger than the padded input.
     */
    static int outputSize(String node, String op, Node in, int size, int kernel, int stride, int padding) throws IrException {
        Shape s = in.shape();
        if (kernel > size + 2 * padding) {
            throw new IrException(node, "kernel", op + " kernel " + kernel + " is larger than the padded input: '" + in.name()
                    + "' is " + s + ", " + s.dim(1) + "x" + s.dim(2) + (padding > 0 ? " padded by " + padding + " on each side" : ""));
        }
        return (size + 2 * padding - kernel) / stride + 1;
    }

    /**
     * A warning when the windows of one axis leave trailing input rows or columns (not just
     * padding) that no window reads, as PyTorch's floor rule does silently; else null. Those
     * values get gradient 0.
     */
    static IrWarning unread(String node, String op, Node in, String axis, int size, int kernel, int stride, int padding) {
        int span = size + 2 * padding - kernel;
        int unread = span % stride - padding; // trailing input rows no window reaches (the rest is padding)
        if (span < 0 || unread <= 0) return null;
        String formula = padding > 0 ? "(" + size + " + 2*" + padding + " - " + kernel + ")" : "(" + size + " - " + kernel + ")";
        String which = unread == 1 ? axis + " " + (size - 1) : axis + "s " + (size - unread) + ".." + (size - 1);
        return new IrWarning(node, "stride", op + " output size " + formula + " / " + stride + " + 1 = "
                + (span / (double) stride + 1) + " is floored to " + (span / stride + 1) + " as PyTorch does, so " + which
                + " of '" + in.name() + "' " + in.shape() + " " + (unread == 1 ? "is" : "are") + " never read");
    }

    /** The warnings of a window op over an image input: its unread rows, then its unread columns. */
    static java.util.List<IrWarning> unreadRowsAndColumns(String node, String op, Node in, int kernel, int stride, int padding) {
        java.util.List<IrWarning> warnings = new java.util.ArrayList<>();
        IrWarning rows = unread(node, op, in, "row", in.shape().dim(1), kernel, stride, padding);
        IrWarning columns = unread(node, op, in, "column", in.shape().dim(2), kernel, stride, padding);
        if (rows != null) warnings.add(rows);
        if (columns != null) warnings.add(columns);
        return warnings;
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
