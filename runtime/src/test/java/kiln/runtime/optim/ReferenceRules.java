package kiln.runtime.optim;

/**
 * The update rules of shared/fixtures/MANIFEST.json ("optimizers"), written as plainly as
 * possible in double precision, one element at a time: what the vectorised optimizers must match.
 */
final class ReferenceRules {
    private ReferenceRules() {}

    /** SGD with dampening 0; momentum 0 means no buffer. Keeps its buffer between calls. */
    static final class ReferenceSgd {
        private final double lr, momentum, weightDecay;
        private final boolean nesterov;
        private double[][] buf;
        private int t;

        ReferenceSgd(double lr, double momentum, double weightDecay, boolean nesterov) {
            this.lr = lr;
            this.momentum = momentum;
            this.weightDecay = weightDecay;
            this.nesterov = nesterov;
        }

        void step(double[][] p, double[][] g) {
            t++;
            if (buf == null) {
                buf = new double[p.length][];
                for (int k = 0; k < p.length; k++) buf[k] = new double[p[k].length];
            }
            for (int k = 0; k < p.length; k++) {
                for (int i = 0; i < p[k].length; i++) {
                    double d = g[k][i] + weightDecay * p[k][i];
                    if (momentum != 0) {
                        buf[k][i] = t == 1 ? d : momentum * buf[k][i] + d;
                        d = nesterov ? d + momentum * buf[k][i] : buf[k][i];
                    }
                    p[k][i] -= lr * d;
                }
            }
        }
    }

    /** Adam, PyTorch form: eps added after bias-correcting sqrt(v); L2 weight decay into g. */
    static final class ReferenceAdam {
        private final double lr, beta1, beta2, eps, weightDecay;
        private double[][] m, v;
        private int t;

        ReferenceAdam(double lr, double beta1, double beta2, double eps, double weightDecay) {
            this.lr = lr;
            this.beta1 = beta1;
            this.beta2 = beta2;
            this.eps = eps;
            this.weightDecay = weightDecay;
        }

        void step(double[][] p, double[][] g) {
            t++;
            if (m == null) {
                m = new double[p.length][];
                v = new double[p.length][];
                for (int k = 0; k < p.length; k++) {
                    m[k] = new double[p[k].length];
                    v[k] = new double[p[k].length];
                }
            }
            for (int k = 0; k < p.length; k++) {
                for (int i = 0; i < p[k].length; i++) {
                    double gi = g[k][i] + weightDecay * p[k][i];
                    m[k][i] = beta1 * m[k][i] + (1 - beta1) * gi;
                    v[k][i] = beta2 * v[k][i] + (1 - beta2) * gi * gi;
                    double bc1 = 1 - Math.pow(beta1, t);
                    double bc2 = 1 - Math.pow(beta2, t);
                    p[k][i] -= (lr / bc1) * m[k][i] / (Math.sqrt(v[k][i]) / Math.sqrt(bc2) + eps);
                }
            }
        }
    }

    /** Zero buffers shaped like {@code p}. */
    private static double[][] zerosLike(double[][] p) {
        double[][] z = new double[p.length][];
        for (int k = 0; k < p.length; k++) z[k] = new double[p[k].length];
        return z;
    }

    /** AdamW, PyTorch form: p *= 1 - lr * wd first, then the Adam update on the raw gradient. */
    static final class ReferenceAdamW {
        private final double lr, beta1, beta2, eps, weightDecay;
        private double[][] m, v;
        private int t;

        ReferenceAdamW(double lr, double beta1, double beta2, double eps, double weightDecay) {
            this.lr = lr;
            this.beta1 = beta1;
            this.beta2 = beta2;
            this.eps = eps;
            this.weightDecay = weightDecay;
        }

        void step(double[][] p, double[][] g) {
            t++;
            if (m == null) {
                m = zerosLike(p);
                v = zerosLike(p);
            }
            double bc1 = 1 - Math.pow(beta1, t);
            double bc2 = 1 - Math.pow(beta2, t);
            for (int k = 0; k < p.length; k++) {
                for (int i = 0; i < p[k].length; i++) {
                    p[k][i] *= 1 - lr * weightDecay;
                    m[k][i] = beta1 * m[k][i] + (1 - beta1) * g[k][i];
                    v[k][i] = beta2 * v[k][i] + (1 - beta2) * g[k][i] * g[k][i];
                    p[k][i] -= (lr / bc1) * m[k][i] / (Math.sqrt(v[k][i]) / Math.sqrt(bc2) + eps);
                }
            }
        }
    }

    /** RMSprop, PyTorch form (torch.optim.RMSprop), with optional momentum and centering. */
    static final class ReferenceRmsProp {
        private final double lr, alpha, eps, weightDecay, momentum;
        private final boolean centered;
        private double[][] squareAvg, buf, gradAvg;

        ReferenceRmsProp(double lr, double alpha, double eps, double weightDecay, double momentum, boolean centered) {
            this.lr = lr;
            this.alpha = alpha;
            this.eps = eps;
            this.weightDecay = weightDecay;
            this.momentum = momentum;
            this.centered = centered;
        }

        void step(double[][] p, double[][] g) {
            if (squareAvg == null) {
                squareAvg = zerosLike(p);
                buf = zerosLike(p);
                gradAvg = zerosLike(p);
            }
            for (int k = 0; k < p.length; k++) {
                for (int i = 0; i < p[k].length; i++) {
                    double gi = g[k][i] + weightDecay * p[k][i];
                    squareAvg[k][i] = alpha * squareAvg[k][i] + (1 - alpha) * gi * gi;
                    double avg;
                    if (centered) {
                        gradAvg[k][i] = alpha * gradAvg[k][i] + (1 - alpha) * gi;
                        avg = Math.sqrt(squareAvg[k][i] - gradAvg[k][i] * gradAvg[k][i]) + eps;
                    } else {
                        avg = Math.sqrt(squareAvg[k][i]) + eps;
                    }
                    if (momentum > 0) {
                        buf[k][i] = momentum * buf[k][i] + gi / avg;
                        p[k][i] -= lr * buf[k][i];
                    } else {
                        p[k][i] -= lr * gi / avg;
                    }
                }
            }
        }
    }

    /** Adagrad, PyTorch form (torch.optim.Adagrad). */
    static final class ReferenceAdagrad {
        private final double lr, lrDecay, weightDecay, initialAccumulator, eps;
        private double[][] sum;
        private int t;

        ReferenceAdagrad(double lr, double lrDecay, double weightDecay, double initialAccumulator, double eps) {
            this.lr = lr;
            this.lrDecay = lrDecay;
            this.weightDecay = weightDecay;
            this.initialAccumulator = initialAccumulator;
            this.eps = eps;
        }

        void step(double[][] p, double[][] g) {
            t++;
            if (sum == null) {
                sum = zerosLike(p);
                for (double[] s : sum) java.util.Arrays.fill(s, initialAccumulator);
            }
            double clr = lr / (1 + (t - 1) * lrDecay);
            for (int k = 0; k < p.length; k++) {
                for (int i = 0; i < p[k].length; i++) {
                    double gi = g[k][i] + weightDecay * p[k][i];
                    sum[k][i] += gi * gi;
                    p[k][i] -= clr * gi / (Math.sqrt(sum[k][i]) + eps);
                }
            }
        }
    }
}
