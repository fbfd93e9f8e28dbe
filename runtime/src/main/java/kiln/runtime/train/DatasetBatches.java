package kiln.runtime.train;

import java.util.Locale;
import java.util.Map;
import kiln.runtime.Batch;
import kiln.runtime.data.BatchIterator;
import kiln.runtime.data.Dataset;

/** Mini-batches of a data set, freshly shuffled each epoch from (seed, epoch) alone. */
final class DatasetBatches implements BatchSource {
    private final Dataset data;
    private final BatchIterator batches;
    private int last;

    DatasetBatches(Dataset data, int batchSize) {
        this.data = data;
        this.batches = new BatchIterator(data, batchSize);
    }

    /** Each epoch's shuffle depends on (seed, epoch) only, so resuming at any epoch repeats it. */
    static long epochSeed(long seed, int epoch) {
        return seed * 0x9E3779B97F4A7C15L + epoch;
    }

    @Override
    public String unit() {
        return "samples";
    }

    @Override
    public void startEpoch(long seed, int epoch) {
        batches.startEpoch(epochSeed(seed, epoch));
    }

    @Override
    public boolean next(Batch batch) {
        if (!batches.next(batch)) return false;
        last = batch.size;
        return true;
    }

    @Override
    public int lastUnits() {
        return last;
    }

    @Override
    public long done() {
        return batches.position();
    }

    @Override
    public long total() {
        return data.size();
    }

    @Override
    public int batchesPerEpoch() {
        return batches.batchesPerEpoch();
    }

    @Override
    public int position() {
        return batches.position();
    }

    @Override
    public int positions() {
        return data.size();
    }

    @Override
    public void seek(int position) {
        batches.seek(position);
    }

    @Override
    public String describe(int position) {
        return String.format(Locale.ROOT, "%,d of %,d samples", position, data.size());
    }

    @Override
    public Map<String, float[]> carriedState() {
        return Map.of();
    }

    @Override
    public void restoreCarriedState(Map<String, float[]> state) {
        if (!state.isEmpty()) throw new IllegalArgumentException("it holds recurrent state carried between chunks, but this run reads a data set");
    }

    @Override
    public void finish() {}
}
