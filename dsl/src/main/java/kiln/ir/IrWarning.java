package kiln.ir;

/**
 * Something legal but probably unintended (a window that leaves rows unread, a branch that feeds
 * nothing): front ends report it as a compiler warning at the node, and the build goes on.
 */
public record IrWarning(String node, String attribute, String message) {}
