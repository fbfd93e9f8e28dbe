package kiln.dsl;

/** What an input carries; decides whether it has a gradient and which ops may read it. */
public enum InputKind {
    /** Inferred: token ids when an embedding or one-hot reads it, an image for rank 3, else features. */
    AUTO,
    /** Real-valued features, [features] or a sequence [steps, features]. */
    FEATURES,
    /** An image, [channels, height, width] (NCHW per batch). */
    IMAGE,
    /** Whole-number token ids carried as floats, [steps]: read only by embeddings and one-hots; no gradient. */
    TOKENS
}
