package kiln.runtime.text;

import java.util.Arrays;

/**
 * The symbols of a character-level model, one token id each: the distinct characters (Unicode
 * code points) of a corpus in ascending order, so the same text always gives the same ids. Saved
 * with a checkpoint as the string of its symbols in id order ({@link #symbols()}), since a trained
 * model means nothing without it.
 */
public final class Vocabulary {
    private final int[] codePoints; // id -> code point, ascending

    private Vocabulary(int[] codePoints) {
        this.codePoints = codePoints;
    }

    /** The distinct characters of {@code text}, in ascending order. */
    public static Vocabulary of(String text) {
        return new Vocabulary(text.codePoints().distinct().sorted().toArray());
    }

    /** The vocabulary whose symbols, in id order, are {@code symbols} (as {@link #symbols()} wrote them). */
    public static Vocabulary parse(String symbols) {
        int[] cps = symbols.codePoints().toArray();
        for (int i = 1; i < cps.length; i++) {
            if (cps[i] <= cps[i - 1]) {
                throw new IllegalArgumentException("vocabulary symbols must be distinct and ascending, but symbol " + i
                        + " " + describe(cps[i]) + " follows " + describe(cps[i - 1]));
            }
        }
        if (cps.length == 0) throw new IllegalArgumentException("empty vocabulary");
        return new Vocabulary(cps);
    }

    public int size() {
        return codePoints.length;
    }

    /** The symbols in id order, one string: what a checkpoint stores. */
    public String symbols() {
        return new String(codePoints, 0, codePoints.length);
    }

    /** The id of character {@code codePoint}, or -1 when the vocabulary lacks it. */
    public int id(int codePoint) {
        int i = Arrays.binarySearch(codePoints, codePoint);
        return i >= 0 ? i : -1;
    }

    public int codePoint(int id) {
        return codePoints[id];
    }

    /** The ids of {@code text}'s characters; throws, naming the first one the vocabulary lacks. */
    public int[] encode(String text) {
        int[] cps = text.codePoints().toArray();
        int[] ids = new int[cps.length];
        for (int i = 0; i < cps.length; i++) {
            ids[i] = id(cps[i]);
            if (ids[i] < 0) {
                throw new IllegalArgumentException("character " + describe(cps[i]) + " at position " + i
                        + " is not in the model's vocabulary of " + size() + " characters");
            }
        }
        return ids;
    }

    /** The character of token {@code id}. */
    public String decode(int id) {
        return Character.toString(codePoints[id]);
    }

    /** A character as a message shows it: {@code 'a'}, or {@code U+000A} for an invisible one. */
    static String describe(int codePoint) {
        return Character.isISOControl(codePoint) || Character.isWhitespace(codePoint)
                ? String.format("U+%04X", codePoint) : "'" + Character.toString(codePoint) + "'";
    }

    @Override
    public String toString() {
        return size() + " characters";
    }
}
