package kiln.ir;

/** Axis arguments of the shape ops: -1 is the last axis. */
final class Axes {
    private Axes() {}

    /** {@code axis} as an index into a shape of rank {@code rank}, or why it is none. */
    static int resolve(String node, String kind, int axis, Node in) throws IrException {
        int rank = in.shape().rank();
        int a = axis < 0 ? rank + axis : axis;
        if (a < 0 || a >= rank) {
            throw new IrException(node, "axis", kind + " axis " + axis + " is outside '" + in.name() + "' of shape " + in.shape()
                    + " (axes 0.." + (rank - 1) + ", or -1 for the last)");
        }
        return a;
    }
}
