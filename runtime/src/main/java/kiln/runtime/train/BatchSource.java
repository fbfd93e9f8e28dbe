package kiln.runtime.train;

import java.util.Map;
import kiln.runtime.Batch;

/**
 * Where the training loop's batches come from, epoch by epoch: shuffled mini-batches of a data
 * set ({@link DatasetBatches}), or a text's contiguous streams in chunks, the model's state carried
 * from chunk to chunk ({@link TextBatches}). What an epoch hands out depends only on the run's seed
 * and the epoch, so a resumed run repeats it; a checkpoint within an epoch records the
 * {@link #position} and any state the source keeps in the model.
 */
interface BatchSource {
    /** What progress is counted in, plural: {@code "samples"}, or {@code "characters"} for a text. */
    String unit();

    /** Starts epoch {@code epoch} (1-based) of a run seeded with {@code seed}. */
    void startEpoch(long seed, int epoch);

    /** Fills {@code batch} with the next batch; false once the epoch is over. Allocates nothing. */
    boolean next(Batch batch);

    /** Samples (or tokens) in the batch {@link #next} just filled: the weight of its figures. */
    int lastUnits();

    /** Units handed out so far this epoch, and in all of it: the progress line. */
    long done();

    long total();

    int batchesPerEpoch();

    /** Where the epoch stands, for a checkpoint: samples handed out for a data set, chunks for a text. */
    int position();

    /** The largest {@link #position}: the end of an epoch. */
    int positions();

    /** Goes on from {@code position} of the epoch just started, as if that much had been handed out. */
    void seek(int position);

    /** {@code "320 of 1,000 samples"}: a position, for the resume line. */
    String describe(int position);

    /** State the source keeps in the model between batches, to save within an epoch: the carried recurrent state. Copies. */
    Map<String, float[]> carriedState();

    /** Writes {@link #carriedState} back after {@link #seek}. */
    void restoreCarriedState(Map<String, float[]> state);

    /** Training is over: leaves the model as the source found it. */
    void finish();
}
