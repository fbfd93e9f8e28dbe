package kiln.runtime.cli;

/** A failure of a main with its exit code ({@link TrainingMain#USAGE} or {@link TrainingMain#FAILED}); the message is the one line printed. */
final class Failure extends Exception {
    private static final long serialVersionUID = 1L;
    final int code;

    Failure(int code, String message) {
        super(message, null, false, false);
        this.code = code;
    }

    static Failure usage(String message) {
        return new Failure(TrainingMain.USAGE, message);
    }

    static Failure failed(String message) {
        return new Failure(TrainingMain.FAILED, message);
    }
}
