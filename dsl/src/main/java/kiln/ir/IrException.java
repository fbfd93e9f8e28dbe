package kiln.ir;

/**
 * A malformed model. Names the node at fault (null for the model as a whole) and, where one
 * attribute is to blame, that attribute, so front ends can point at the offending source.
 */
public final class IrException extends Exception {
    private final String node;
    private final String attribute;

    public IrException(String node, String attribute, String message) {
        super(message);
        this.node = node;
        this.attribute = attribute;
    }

    public IrException(String node, String message) {
        this(node, null, message);
    }

    /** The node the problem is reported on, or null when it concerns the whole model. */
    public String node() {
        return node;
    }

    /** The node's attribute at fault (e.g. "units", "from"), or null. */
    public String attribute() {
        return attribute;
    }
}
