package kiln.bench.kernels;

import kiln.runtime.kernels.Conv2d;
import kiln.runtime.parallel.WorkerPool;

/**
 * The convolutions of the LeNet benchmark models (pytorch_bench.py "lenet" and "lenet_fmnist"):
 * 5x5, stride 1, ReLU, fused with a 2x2 max-pool of stride 2, exactly as the generated
 * BenchLeNetModel and BenchLeNetFmnistModel construct their {@link Conv2d} kernels. conv2 is the
 * same layer in both models.
 */
public enum ConvLayer {
    /** "lenet" conv1: 3x32x32 -> 6@28x28 -> pooled 6x14x14. */
    CIFAR_CONV1(3, 32, 32, 6, 0),
    /** "lenet_fmnist" conv1: 1x28x28, padding 2 -> 6@28x28 -> pooled 6x14x14. */
    MNIST_CONV1(1, 28, 28, 6, 2),
    /** conv2 of both: 6x14x14 -> 16@10x10 -> pooled 16x5x5. */
    CONV2(6, 14, 14, 16, 0);

    static final int KERNEL = 5;

    final int cin, h, w, cout, pad;

    ConvLayer(int cin, int h, int w, int cout, int pad) {
        this.cin = cin;
        this.h = h;
        this.w = w;
        this.cout = cout;
        this.pad = pad;
    }

    Conv2d kernel(WorkerPool pool) {
        return new Conv2d(pool, cin, h, w, cout, KERNEL, 1, pad, 2, 2);
    }

    /**
     * Flops of one image's product {@code Z[cout, ho wo] = W[cout, cin k k] · B[cin k k, ho wo]}:
     * 2 cout cin k^2 ho wo. The weight gradient and the input gradient are products of the same
     * size; bias, activation and pooling are not counted.
     */
    double productFlops() {
        int ho = h + 2 * pad - KERNEL + 1, wo = w + 2 * pad - KERNEL + 1;
        return 2.0 * cout * cin * KERNEL * KERNEL * ho * wo;
    }

    /** "3x32x32 -> 6, pad 0", for the summary. */
    String describe() {
        return cin + "x" + h + "x" + w + " -> " + cout + ", pad " + pad;
    }
}
