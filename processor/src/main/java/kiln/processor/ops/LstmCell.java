package kiln.processor.ops;

import com.palantir.javapoet.CodeBlock;
import java.util.List;

/**
 * The LSTM step, gate blocks in PyTorch's order (i, f, g, o): i = sigmoid(a_i), f = sigmoid(a_f),
 * g = tanh(a_g), o = sigmoid(a_o), c_t = f c_{t-1} + i g, h_t = o tanh(c_t). Forward keeps the four
 * activations in place of the pre-activations and c_t; backward recomputes tanh(c_t) and writes
 * the four pre-activation gradients over them, and dL/dc_{t-1} = dc f into {@code dcRec}.
 */
final class LstmCell implements RecurrentCell {
    @Override
    public CodeBlock forward(LaneMath m, Step s) {
        CodeBlock.Builder b = CodeBlock.builder();
        String[] pre = {"ai", "af", "ag", "ao"};
        for (int k = 0; k < 4; k++) {
            b.add(m.let(pre[k], m.add(m.load(s.gates(), s.at("g", k)), m.load(s.hh(), s.at("q", k)))));
        }
        b.add(m.letSigmoid("ig", "ai"))
                .add(m.letSigmoid("fg", "af"))
                .add(m.letTanh("cg", "ag"))
                .add(m.letSigmoid("og", "ao"))
                .add(m.let("c", m.add(m.mul("fg", m.load(s.cs(), s.at("hp", 0))), m.mul("ig", "cg"))))
                .add(m.letTanh("tc", "c"))
                .add(m.let("h", m.mul("og", "tc")))
                .add(m.store(s.gates(), s.at("g", 0), "ig"))
                .add(m.store(s.gates(), s.at("g", 1), "fg"))
                .add(m.store(s.gates(), s.at("g", 2), "cg"))
                .add(m.store(s.gates(), s.at("g", 3), "og"))
                .add(m.store(s.cs(), s.at("hq", 0), "c"));
        return b.build();
    }

    @Override
    public CodeBlock backward(LaneMath m, Step s) {
        return CodeBlock.builder()
                .add(m.let("ig", m.load(s.gates(), s.at("g", 0))))
                .add(m.let("fg", m.load(s.gates(), s.at("g", 1))))
                .add(m.let("cg", m.load(s.gates(), s.at("g", 2))))
                .add(m.let("og", m.load(s.gates(), s.at("g", 3))))
                .add(m.let("c", m.load(s.cs(), s.at("hq", 0))))
                .add(m.letTanh("tc", "c"))
                .add("// dc = dL/dc_t: through h_t = o tanh(c_t), plus what c_{t+1} = f c_t + ... sent back\n")
                .add(m.let("dc", m.add(m.load(s.dcRec(), s.at("s", 0)), m.mul(m.mul("dh", "og"), m.tanhSlope("tc")))))
                .add(m.let("dai", m.mul(m.mul("dc", "cg"), m.sigmoidSlope("ig"))))
                .add(m.let("daf", m.mul(m.mul("dc", m.load(s.cs(), s.at("hp", 0))), m.sigmoidSlope("fg"))))
                .add(m.let("dag", m.mul(m.mul("dc", "ig"), m.tanhSlope("cg"))))
                .add(m.let("dao", m.mul(m.mul("dh", "tc"), m.sigmoidSlope("og"))))
                .add(m.let("dcp", m.mul("dc", "fg")))
                .add(m.store(s.gates(), s.at("g", 0), "dai"))
                .add(m.store(s.gates(), s.at("g", 1), "daf"))
                .add(m.store(s.gates(), s.at("g", 2), "dag"))
                .add(m.store(s.gates(), s.at("g", 3), "dao"))
                .add(m.store(s.dcRec(), s.at("s", 0), "dcp"))
                .build();
    }

    @Override
    public boolean hasCellState() {
        return true;
    }

    @Override
    public List<String> inputGateGradients() {
        return List.of("dai", "daf", "dag", "dao");
    }
}
