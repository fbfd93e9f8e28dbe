package kiln.ir;

/** The check shared by the ops that read token ids: only the model input carries them, one per step. */
final class TokenIds {
    private TokenIds() {}

    /** The number of steps of token ids {@code in} holds, or why it holds none. */
    static int steps(String node, String kind, Node in) throws IrException {
        if (!(in.op() instanceof InputOp)) {
            throw new IrException(node, "from", kind + " reads token ids, which only the model input carries, but '"
                    + in.name() + "' is a " + in.op().kind() + " node");
        }
        if (in.shape().rank() != 1) {
            throw new IrException(node, "from", kind + " reads a sequence of token ids of rank 1 [steps], but '"
                    + in.name() + "' has shape " + in.shape());
        }
        return in.shape().dim(0);
    }
}
