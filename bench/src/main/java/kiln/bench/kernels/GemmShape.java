package kiln.bench.kernels;

import kiln.runtime.kernels.Epilogue;
import kiln.runtime.kernels.Gemm;

/**
 * The {@link Gemm} calls that the benchmark models make, one constant per call site, with the
 * shapes and epilogues the generated code passes (see {@code bench/target/generated-sources}),
 * plus the square product that {@code pytorch_bench.py --model gemm} times. In each name,
 * FORWARD is {@code nt} (y = x W^T + b), WEIGHT_GRAD is {@code tn} (dW = dZ^T x) and INPUT_GRAD is
 * {@code nn} (dX = dZ W). Every product overwrites C, as in training.
 */
public enum GemmShape {
    // BenchMlp (pytorch_bench.py "mlp"), 784-256-128-10, batch 64. fc1's input gradient is
    // skipped in training (nothing needs dL/dx), so it is not here either.
    MLP_FC1_FORWARD(Product.NT, 64, 256, 784, Epilogue.BIAS_RELU),
    MLP_FC2_FORWARD(Product.NT, 64, 128, 256, Epilogue.BIAS_RELU),
    MLP_FC3_FORWARD(Product.NT, 64, 10, 128, Epilogue.BIAS),
    MLP_FC3_WEIGHT_GRAD(Product.TN, 10, 128, 64, Epilogue.NONE),
    MLP_FC3_INPUT_GRAD(Product.NN, 64, 128, 10, Epilogue.NONE),
    MLP_FC2_WEIGHT_GRAD(Product.TN, 128, 256, 64, Epilogue.NONE),
    MLP_FC2_INPUT_GRAD(Product.NN, 64, 256, 128, Epilogue.NONE),
    MLP_FC1_WEIGHT_GRAD(Product.TN, 256, 784, 64, Epilogue.NONE),

    // BenchLeNet / BenchLeNetFmnist ("lenet", "lenet_fmnist"): dense 400-120-84-10, batch 64;
    // fc1's input gradient feeds the pooled conv2 output, so it runs.
    LENET_FC1_FORWARD(Product.NT, 64, 120, 400, Epilogue.BIAS_RELU),
    LENET_FC2_FORWARD(Product.NT, 64, 84, 120, Epilogue.BIAS_RELU),
    LENET_FC3_FORWARD(Product.NT, 64, 10, 84, Epilogue.BIAS),
    LENET_FC3_WEIGHT_GRAD(Product.TN, 10, 84, 64, Epilogue.NONE),
    LENET_FC3_INPUT_GRAD(Product.NN, 64, 84, 10, Epilogue.NONE),
    LENET_FC2_WEIGHT_GRAD(Product.TN, 84, 120, 64, Epilogue.NONE),
    LENET_FC2_INPUT_GRAD(Product.NN, 64, 120, 84, Epilogue.NONE),
    LENET_FC1_WEIGHT_GRAD(Product.TN, 120, 400, 64, Epilogue.NONE),
    LENET_FC1_INPUT_GRAD(Product.NN, 64, 400, 120, Epilogue.NONE),

    // BenchCharLstm ("charlstm"): embedding 64, hidden 256, gates 4 x 256 = 1024, batch 32, seq 64.
    // The LSTM looks up the embedding itself, so the input projection runs on the 65-row table
    // (and its gradients on the 65 per-token sums of dA); the recurrent weight gradient runs
    // once over all 32 x 64 = 2048 rows.
    CHARLSTM_TOKEN_TABLE_FORWARD(Product.NT, 65, 1024, 64, Epilogue.BIAS),
    CHARLSTM_TOKEN_TABLE_WEIGHT_GRAD(Product.TN, 1024, 64, 65, Epilogue.NONE),
    CHARLSTM_TOKEN_TABLE_EMBEDDING_GRAD(Product.NN, 65, 64, 1024, Epilogue.NONE),
    CHARLSTM_HH_WEIGHT_GRAD(Product.TN, 1024, 256, 2048, Epilogue.NONE),
    // The recurrent projection of one step, h W_hh^T and dA W_hh, as plain GEMMs: the model runs
    // them through RecurrentProduct instead (RecurrentStepBench), so these are the reference.
    CHARLSTM_HH_STEP_FORWARD(Product.NT, 32, 1024, 256, Epilogue.NONE),
    CHARLSTM_HH_STEP_INPUT_GRAD(Product.NN, 32, 256, 1024, Epilogue.NONE),
    // The output layer on every step, 256 -> 65 characters.
    CHARLSTM_HEAD_FORWARD(Product.NT, 2048, 65, 256, Epilogue.BIAS),
    CHARLSTM_HEAD_WEIGHT_GRAD(Product.TN, 65, 256, 2048, Epilogue.NONE),
    CHARLSTM_HEAD_INPUT_GRAD(Product.NN, 2048, 256, 65, Epilogue.NONE),

    /** torch.mm(a, b) of pytorch_bench.py's "gemm", n = 1024: the SGEMM the others are compared to. */
    SQUARE_1024(Product.NN, 1024, 1024, 1024, Epilogue.NONE);

    /** Which of Gemm's three products, by the layout of A and B. */
    enum Product { NT, NN, TN }

    final Product product;
    final int m, n, k;
    final Epilogue epilogue;

    GemmShape(Product product, int m, int n, int k, Epilogue epilogue) {
        this.product = product;
        this.m = m;
        this.n = n;
        this.k = k;
        this.epilogue = epilogue;
    }

    /** Multiply-adds counted twice: 2 m n k. The epilogue is not counted. */
    double flops() {
        return 2.0 * m * n * k;
    }

    /**
     * C[m,n] from A (m k floats: [m,k], or [k,m] for tn) and B (n k floats: [n,k] for nt, else
     * [k,n]); {@code bias} [n] is read only by a forward epilogue.
     */
    void multiply(Gemm gemm, float[] a, float[] b, float[] bias, float[] c) {
        switch (product) {
            case NT -> gemm.nt(a, 0, b, 0, bias, c, 0, m, n, k, epilogue);
            case NN -> gemm.nn(a, 0, b, 0, c, 0, m, n, k, false);
            case TN -> gemm.tn(a, 0, b, 0, c, 0, m, n, k, false);
        }
    }

    /** "MLP_FC1_FORWARD nt 64 256 784": what scripts/torch_gemm.py reads to time torch.mm on the same shape. */
    String line() {
        return name() + " " + productName() + " " + m + " " + n + " " + k;
    }

    /** Prints every shape as a {@link #line()}, for scripts/torch_gemm.py. */
    public static void main(String[] args) {
        for (GemmShape shape : values()) System.out.println(shape.line());
    }

    /** "nt 64x256x784": the product and m x n x k, for the summary table. */
    String describe() {
        return productName() + " " + m + "x" + n + "x" + k;
    }

    /** "nt", "nn" or "tn". */
    private String productName() {
        return product.name().toLowerCase(java.util.Locale.ROOT);
    }
}
