package kiln.runtime.text;

/**
 * A text as token ids for a character-level model: the vocabulary of the whole text, the first
 * part for training and the rest (its last {@code validationFraction}) held out for validation.
 */
public record CharCorpus(String name, Vocabulary vocabulary, int[] train, int[] validation) {
    /** The text's last {@code validationFraction} (in (0, 1)) is the validation part. */
    public static CharCorpus split(String name, String text, double validationFraction) {
        if (!(validationFraction > 0 && validationFraction < 1)) {
            throw new IllegalArgumentException("validationFraction must be in (0, 1), got " + validationFraction);
        }
        Vocabulary vocabulary = Vocabulary.of(text);
        int[] ids = vocabulary.encode(text);
        int cut = (int) Math.round(ids.length * (1 - validationFraction));
        return new CharCorpus(name, vocabulary, java.util.Arrays.copyOfRange(ids, 0, cut),
                java.util.Arrays.copyOfRange(ids, cut, ids.length));
    }

    @Override
    public String toString() {
        return String.format(java.util.Locale.ROOT, "%s: %,d characters for training, %,d for validation, %d distinct",
                name, train.length, validation.length, vocabulary.size());
    }
}
