package kiln.processor.ops;

import com.palantir.javapoet.CodeBlock;
import java.util.List;

/** h_t = tanh(x_t W_ih^T + b_ih + h_{t-1} W_hh^T + b_hh); backward dA = dh (1 - h^2). */
final class RnnTanhCell implements RecurrentCell {
    @Override
    public CodeBlock forward(LaneMath m, Step s) {
        return CodeBlock.builder()
                .add(m.let("a", m.add(m.load(s.gates(), s.at("g", 0)), m.load(s.hh(), s.at("q", 0)))))
                .add(m.letTanh("h", "a"))
                .build();
    }

    @Override
    public CodeBlock backward(LaneMath m, Step s) {
        return CodeBlock.builder()
                .add(m.let("h", m.load(s.hs(), s.at("hq", 0))))
                .add(m.let("da", m.mul("dh", m.tanhSlope("h"))))
                .add(m.store(s.gates(), s.at("g", 0), "da"))
                .build();
    }

    @Override
    public List<String> inputGateGradients() {
        return List.of("da");
    }
}
