/**
 * Numbers and pictures for judging generative and reconstructing models: the autoencoder, VAE and
 * GAN samples.
 *
 * <ul>
 *   <li>Linear algebra in double: {@link kiln.runtime.analysis.GramMatrix} ({@code X^T X} and the
 *       centred scatter of float rows, blocked and vectorised), {@link kiln.runtime.analysis.SymmetricEigen}
 *       (Householder tridiagonalisation and implicit QL), {@link kiln.runtime.analysis.Orthonormalization}.
 *   <li>A linear autoencoder against the SVD: {@link kiln.runtime.analysis.PrincipalSubspace} (top-k
 *       right singular vectors of the data, the best rank-k error),
 *       {@link kiln.runtime.analysis.PrincipalAngles}, {@link kiln.runtime.analysis.SubspaceComparison}.
 *   <li>Distributions of features: {@link kiln.runtime.analysis.GaussianFit},
 *       {@link kiln.runtime.analysis.FrechetDistance} (FID's formula); of a classifier's verdicts on
 *       samples: {@link kiln.runtime.analysis.ClassShares}.
 *   <li>Pictures, written atomically: {@link kiln.runtime.analysis.ImageGrid} (sheets of grey images)
 *       and {@link kiln.runtime.analysis.ScatterPlot} (2-D codes coloured by class).
 * </ul>
 *
 * <p>Matrices are flat row-major arrays with their sizes passed alongside, as elsewhere in the
 * runtime; data comes as float rows [n, d], results are double.
 */
package kiln.runtime.analysis;
