package kiln.runtime.text;

import java.util.SplittableRandom;
import kiln.runtime.CompiledModel;
import kiln.runtime.SequenceModel;

/**
 * Writes text with a trained character-level model, one character at a time from its carried
 * state: the prompt is fed in, then each sampled character is fed back. A character is drawn from
 * the model's next-character distribution sharpened or flattened by the temperature: probability
 * proportional to {@code p^(1/temperature)}, i.e. softmax(logits / temperature); temperature 0
 * takes the most likely one.
 */
public final class TextGenerator {
    private final CompiledModel model;
    private final SequenceModel sequence;
    private final Vocabulary vocabulary;
    private final double[] weights; // [vocabulary]: sampling weights of the next character

    /** {@code model} predicts the next token at every step; {@code vocabulary} names its first ids. */
    public TextGenerator(CompiledModel model, Vocabulary vocabulary) {
        if (!(model instanceof SequenceModel s) || s.labelsPerSample() != s.timeSteps() || model.inputShape().length != 1) {
            throw new IllegalArgumentException(model.name() + " is not a language model: it must read token ids and"
                    + " predict a token at every step");
        }
        this.model = model;
        this.sequence = s;
        this.vocabulary = vocabulary;
        this.weights = new double[vocabulary.size()];
        int classes = model.outputSize() / s.timeSteps();
        if (vocabulary.size() > classes) {
            throw new IllegalArgumentException("a vocabulary of " + vocabulary.size() + " characters does not fit "
                    + model.name() + ", which predicts " + classes);
        }
    }

    /**
     * {@code prompt} followed by {@code length} generated characters. Leaves the model as it found
     * it (training mode, active steps, state carrying), with its carried state reset.
     *
     * @throws IllegalArgumentException if the prompt holds a character the vocabulary lacks
     */
    public String generate(String prompt, int length, double temperature, long seed) {
        if (length < 0) throw new IllegalArgumentException("length must be >= 0, got " + length);
        if (!(temperature >= 0) || Double.isInfinite(temperature)) {
            throw new IllegalArgumentException("temperature must be >= 0, got " + temperature);
        }
        int[] start = prompt.isEmpty() ? new int[] {Math.max(vocabulary.id('\n'), 0)} : vocabulary.encode(prompt);
        boolean training = model.isTraining(), carry = sequence.carriesState();
        int steps = sequence.activeSteps();
        StringBuilder text = new StringBuilder(prompt);
        try {
            model.setTraining(false);
            sequence.setActiveSteps(1);
            sequence.setCarryState(true);
            sequence.resetState();
            float[] x = new float[model.inputSize()];
            float[] probabilities = null;
            for (int id : start) {
                x[0] = id;
                probabilities = model.predict(x, 1);
            }
            SplittableRandom random = new SplittableRandom(seed);
            for (int i = 0; i < length; i++) {
                int id = sample(probabilities, temperature, random);
                text.append(vocabulary.decode(id));
                x[0] = id;
                probabilities = model.predict(x, 1);
            }
        } finally {
            sequence.resetState();
            sequence.setActiveSteps(steps);
            sequence.setCarryState(carry);
            model.setTraining(training);
        }
        return text.toString();
    }

    /** An id below the vocabulary's size, drawn from step 0 of row 0 of {@code probabilities}. */
    private int sample(float[] probabilities, double temperature, SplittableRandom random) {
        int n = vocabulary.size();
        int best = 0;
        for (int i = 1; i < n; i++) if (probabilities[i] > probabilities[best]) best = i;
        if (temperature == 0) return best;
        double top = probabilities[best], total = 0;
        for (int i = 0; i < n; i++) {
            weights[i] = Math.pow(probabilities[i] / top, 1 / temperature); // relative to the top: no overflow
            total += weights[i];
        }
        double u = random.nextDouble() * total;
        for (int i = 0; i < n; i++) {
            u -= weights[i];
            if (u < 0) return i;
        }
        return best;
    }
}
