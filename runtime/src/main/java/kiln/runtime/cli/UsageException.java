package kiln.runtime.cli;

/** A command line that cannot be run: unknown option, missing or malformed value. The message is one line. */
public final class UsageException extends Exception {
    private static final long serialVersionUID = 1L;

    public UsageException(String message) {
        super(message);
    }
}
