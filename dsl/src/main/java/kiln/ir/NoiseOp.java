package kiln.ir;

import java.util.List;

/**
 * Noise in training only, the identity in inference; the shape is unchanged. GAUSSIAN adds
 * N(0, amount^2) to every value; MASKING sets each value to 0 with probability {@code amount}.
 */
public record NoiseOp(Kind noise, double amount) implements Op {
    public enum Kind {
        GAUSSIAN,
        MASKING
    }

    @Override
    public Shape outputShape(String node, List<Node> inputs) throws IrException {
        if (noise == Kind.GAUSSIAN && !(amount > 0 && Double.isFinite(amount))) {
            throw new IrException(node, "value", "gaussian noise needs a standard deviation > 0, got " + amount);
        }
        if (noise == Kind.MASKING && !(amount >= 0 && amount < 1)) {
            throw new IrException(node, "value", "masking noise rate must be in [0, 1), got " + amount);
        }
        return inputs.get(0).shape();
    }

    @Override
    public String kind() {
        return noise == Kind.GAUSSIAN ? "gaussian_noise" : "masking_noise";
    }
}
