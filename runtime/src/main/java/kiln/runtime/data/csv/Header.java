package kiln.runtime.data.csv;

/** What the first line of a CSV file holds. */
public enum Header {
    /** Column names. */
    NAMES,
    /** Data: the columns are named by the caller, or {@code column1}, {@code column2}, ... */
    NONE,
    /** Column names if any field of the first line is not a number, else data. */
    AUTO,
    /**
     * scikit-learn's bundled data sets ({@code iris.csv}, {@code wine_data.csv},
     * {@code breast_cancer.csv}): {@code n_samples,n_features,class name,...}, then rows of
     * {@code n_features} numbers and an integer class index. The counts are checked and the class
     * names name the classes.
     */
    SKLEARN
}
