package kiln.runtime.cli;

/**
 * How a language model writes text, after training or with {@code --sample} / {@code --predict}:
 * it continues {@code prompt} (a new line when empty) with {@code length} characters, each drawn
 * at {@code temperature} (0: always the likeliest; {@link kiln.runtime.text.TextGenerator}).
 */
public record Generation(String prompt, double temperature, int length) {
    public static final double DEFAULT_TEMPERATURE = 0.8;
    public static final int DEFAULT_LENGTH = 500;
    public static final Generation DEFAULT = new Generation("", DEFAULT_TEMPERATURE, DEFAULT_LENGTH);

    public Generation {
        if (prompt == null) throw new IllegalArgumentException("prompt must not be null (empty: a new line)");
        if (!(temperature >= 0) || Double.isInfinite(temperature)) throw new IllegalArgumentException("temperature must be >= 0, got " + temperature);
        if (length < 0) throw new IllegalArgumentException("length must be >= 0, got " + length);
    }
}
