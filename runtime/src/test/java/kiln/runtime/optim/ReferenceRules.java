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
}
