package kiln.runtime.train;

/** The loss became NaN or infinite; the message is one line naming the epoch and step. */
public final class TrainingDivergedException extends Exception {
    private static final long serialVersionUID = 1L;

    public TrainingDivergedException(String message) {
        super(message);
    }
}
