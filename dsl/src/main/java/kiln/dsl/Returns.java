package kiln.dsl;

/** What a recurrent layer hands on: every step's hidden state, or only the last one. */
public enum Returns {
    /** h_1..h_T as [steps, hidden]: many-to-many (a language model's head reads every step). */
    SEQUENCE,
    /** h_T as [hidden]: many-to-one (a sequence classifier reads the final state). */
    LAST
}
