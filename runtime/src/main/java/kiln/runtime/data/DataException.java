package kiln.runtime.data;

/**
 * A data set that cannot be used: a missing, truncated or malformed file, or data that does not
 * fit the model. The message is one line that names the file (or data set) and the problem, so a
 * command-line tool can print it as it is.
 */
public final class DataException extends Exception {
    private static final long serialVersionUID = 1L;

    public DataException(String message) {
        super(message);
    }

    public DataException(String message, Throwable cause) {
        super(message, cause);
    }
}
