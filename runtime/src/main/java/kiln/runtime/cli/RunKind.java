package kiln.runtime.cli;

/**
 * What a main trains, which decides the options that apply: a generated model on a data set, a
 * character language model on a text, or a run with a training step of its own. An option given
 * to a kind it does not apply to is a one-line error, never ignored.
 */
public enum RunKind {
    DATA_SET,
    TEXT,
    CUSTOM
}
