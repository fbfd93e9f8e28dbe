package kiln.runtime.text;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;

class VocabularyTest {
    @Test
    void idsFollowTheCharactersInAscendingOrder() {
        Vocabulary v = Vocabulary.of("hello, world\n");
        assertEquals("\n ,dehlorw", v.symbols());
        assertArrayEquals(new int[] {5, 4, 6, 6, 7}, v.encode("hello"));
        assertEquals("w", v.decode(v.id('w')));
        assertEquals(-1, v.id('z'));
    }

    @Test
    void symbolsRoundTripThroughACheckpoint() {
        Vocabulary v = Vocabulary.of("Æsop's fables: æ and \u00e6, tabs\tand\nlines");
        Vocabulary back = Vocabulary.parse(v.symbols());
        assertEquals(v.symbols(), back.symbols());
        assertEquals(v.size(), back.size());
    }

    @Test
    void unknownCharacterIsNamed() {
        Vocabulary v = Vocabulary.of("abc");
        var e = assertThrows(IllegalArgumentException.class, () -> v.encode("abz"));
        assertEquals("character 'z' at position 2 is not in the model's vocabulary of 3 characters", e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> v.encode("a\n"));
        assertEquals("character U+000A at position 1 is not in the model's vocabulary of 3 characters", e.getMessage());
    }

    @Test
    void parseRejectsSymbolsOutOfOrder() {
        var e = assertThrows(IllegalArgumentException.class, () -> Vocabulary.parse("ba"));
        assertEquals("vocabulary symbols must be distinct and ascending, but symbol 1 'a' follows 'b'", e.getMessage());
    }

    @Test
    void corpusHoldsOutItsLastTenth() {
        CharCorpus c = CharCorpus.split("t", "abcdefghij".repeat(10), 0.1);
        assertEquals(90, c.train().length);
        assertEquals(10, c.validation().length);
        assertEquals(10, c.vocabulary().size());
        assertArrayEquals(new int[] {0, 1, 2, 3, 4, 5, 6, 7, 8, 9}, c.validation());
    }
}
