package kiln.processor.ops;

import com.palantir.javapoet.CodeBlock;
import java.util.List;

/**
 * The GRU step, gate blocks in PyTorch's order (r, z, n): r = sigmoid(a_r), z = sigmoid(a_z),
 * hn = h_{t-1} W_hn^T + b_hn, n = tanh(x W_in^T + b_in + r hn), h_t = (1 - z) n + z h_{t-1}. The
 * input projection's bias holds b_ir + b_hr, b_iz + b_hz and b_in; b_hn is added to hn here, since
 * r multiplies it. Forward keeps r, z, n in place of the pre-activations and hn in a buffer;
 * backward writes dL/d(pre-activations) over them for W_ih, and for W_hh the same with the
 * candidate's replaced by dL/dhn = da_n r, in {@code gradHh}; dL/dh_{t-1} outside W_hh is dh z.
 */
final class GruCell implements RecurrentCell {
    @Override
    public CodeBlock forward(LaneMath m, Step s) {
        return CodeBlock.builder()
                .add(m.let("ar", m.add(m.load(s.gates(), s.at("g", 0)), m.load(s.hh(), s.at("q", 0)))))
                .add(m.let("az", m.add(m.load(s.gates(), s.at("g", 1)), m.load(s.hh(), s.at("q", 1)))))
                .add(m.letSigmoid("rg", "ar"))
                .add(m.letSigmoid("zg", "az"))
                .add(m.let("hn", m.add(m.load(s.hh(), s.at("q", 2)), m.load(s.biasHh(), 2 * s.hidden() + " + j"))))
                .add(m.let("an", m.add(m.load(s.gates(), s.at("g", 2)), m.mul("rg", "hn"))))
                .add(m.letTanh("ng", "an"))
                .add(m.let("hp0", m.load(s.hs(), s.at("hp", 0))))
                .add(m.let("h", m.add("ng", m.mul("zg", m.sub("hp0", "ng")))))
                .add(m.store(s.gates(), s.at("g", 0), "rg"))
                .add(m.store(s.gates(), s.at("g", 1), "zg"))
                .add(m.store(s.gates(), s.at("g", 2), "ng"))
                .add(m.store(s.hn(), s.at("hp", 0), "hn"))
                .build();
    }

    @Override
    public CodeBlock backward(LaneMath m, Step s) {
        return CodeBlock.builder()
                .add(m.let("rg", m.load(s.gates(), s.at("g", 0))))
                .add(m.let("zg", m.load(s.gates(), s.at("g", 1))))
                .add(m.let("ng", m.load(s.gates(), s.at("g", 2))))
                .add(m.let("hn", m.load(s.hn(), s.at("hp", 0))))
                .add(m.let("hp0", m.load(s.hs(), s.at("hp", 0))))
                .add(m.let("dan", m.mul(m.mul("dh", m.oneMinus("zg")), m.tanhSlope("ng"))))
                .add(m.let("daz", m.mul(m.mul("dh", m.sub("hp0", "ng")), m.sigmoidSlope("zg"))))
                .add(m.let("dar", m.mul(m.mul("dan", "hn"), m.sigmoidSlope("rg"))))
                .add(m.let("dhn", m.mul("dan", "rg")))
                .add(m.let("dhp", m.mul("dh", "zg")))
                .add(m.store(s.gates(), s.at("g", 0), "dar"))
                .add(m.store(s.gates(), s.at("g", 1), "daz"))
                .add(m.store(s.gates(), s.at("g", 2), "dan"))
                .add(m.store(s.gradHh(), s.at("g", 0), "dar"))
                .add(m.store(s.gradHh(), s.at("g", 1), "daz"))
                .add(m.store(s.gradHh(), s.at("g", 2), "dhn"))
                .add(m.store(s.dhRec(), s.at("s", 0), "dhp"))
                .build();
    }

    @Override
    public boolean separateHiddenGradient() {
        return true;
    }

    @Override
    public List<String> inputGateGradients() {
        return List.of("dar", "daz", "dan");
    }

    @Override
    public List<String> hiddenGateGradients() {
        return List.of("dar", "daz", "dhn");
    }
}
