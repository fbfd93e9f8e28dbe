package kiln.runtime.train;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import kiln.runtime.Batch;
import kiln.runtime.CompiledModel;
import kiln.runtime.SequenceModel;
import kiln.runtime.text.TokenStreams;

/**
 * Truncated backpropagation through time over a text: the text is read as contiguous streams, one
 * per batch row ({@link TokenStreams}), and each batch is the next chunk of every stream. The model
 * carries its hidden state from one chunk to the next (the gradient stops at the chunk's start);
 * each epoch starts from a zero state at an offset drawn from (seed, epoch), so chunk boundaries
 * move between epochs. A short last chunk runs only its steps ({@link SequenceModel#setActiveSteps}).
 */
final class TextBatches implements BatchSource {
    private final SequenceModel sequence;
    private final TokenStreams streams;
    private final int steps;
    private int last;

    TextBatches(CompiledModel model, int[] tokens, int streams) {
        this.sequence = (SequenceModel) model;
        this.steps = sequence.timeSteps();
        this.streams = new TokenStreams(tokens, streams, steps);
    }

    /** Where epoch {@code epoch}'s streams start, in [0, steps): from (seed, epoch) only, so a resumed run repeats it. */
    static int offset(long seed, int epoch, int steps) {
        long z = seed * 0x9E3779B97F4A7C15L + epoch * 0xBF58476D1CE4E5B9L;
        z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
        z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
        z ^= z >>> 31;
        return (int) Math.floorMod(z, (long) steps);
    }

    @Override
    public String unit() {
        return "characters";
    }

    @Override
    public void startEpoch(long seed, int epoch) {
        sequence.setCarryState(true);
        sequence.resetState();
        streams.start(offset(seed, epoch, steps));
    }

    @Override
    public boolean next(Batch batch) {
        int active = streams.next(batch);
        if (active == 0) return false;
        sequence.setActiveSteps(active);
        last = batch.size * active;
        return true;
    }

    @Override
    public int lastUnits() {
        return last;
    }

    @Override
    public long done() {
        return streams.tokensDone();
    }

    @Override
    public long total() {
        return streams.tokensPerPass();
    }

    @Override
    public int batchesPerEpoch() {
        return streams.chunks();
    }

    @Override
    public int position() {
        return streams.chunksDone();
    }

    @Override
    public int positions() {
        return streams.chunks();
    }

    @Override
    public void seek(int position) {
        streams.seek(position);
    }

    @Override
    public String describe(int position) {
        return String.format(Locale.ROOT, "%,d of %,d chunks", position, streams.chunks());
    }

    @Override
    public Map<String, float[]> carriedState() {
        Map<String, float[]> state = new LinkedHashMap<>();
        List<float[]> arrays = sequence.carriedState();
        for (int k = 0; k < arrays.size(); k++) state.put(Integer.toString(k), arrays.get(k).clone());
        return state;
    }

    @Override
    public void restoreCarriedState(Map<String, float[]> state) {
        List<float[]> arrays = sequence.carriedState();
        if (state.size() != arrays.size()) {
            throw new IllegalArgumentException("it holds " + state.size() + " carried state arrays, but the model carries " + arrays.size());
        }
        for (int k = 0; k < arrays.size(); k++) {
            float[] saved = state.get(Integer.toString(k));
            if (saved == null || saved.length != arrays.get(k).length) {
                throw new IllegalArgumentException("its carried state " + k + " does not fit the model's (" + arrays.get(k).length + " floats)");
            }
        }
        for (int k = 0; k < arrays.size(); k++) System.arraycopy(state.get(Integer.toString(k)), 0, arrays.get(k), 0, arrays.get(k).length);
    }

    @Override
    public void finish() {
        sequence.setActiveSteps(steps);
        sequence.setCarryState(false);
        sequence.resetState();
    }
}
