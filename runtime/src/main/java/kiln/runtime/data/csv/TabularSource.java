package kiln.runtime.data.csv;

import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.TreeSet;
import kiln.runtime.data.DataException;
import kiln.runtime.data.DataSource;
import kiln.runtime.data.Dataset;
import kiln.runtime.data.InputReader;
import kiln.runtime.data.Splits;

/**
 * A table in a CSV file as a {@link DataSource}: one target column (class labels, or a number for
 * regression) and feature columns, numeric or categorical.
 *
 * <p>Loading reads the file, divides the rows into train, validation and test at random (seeded),
 * stratified by class for a classifier so each split has the classes in the file's proportions;
 * then fits the feature encoding on the training rows only: numeric columns are standardised to
 * mean 0 and standard deviation 1 (the population deviation, as scikit-learn's StandardScaler;
 * a constant column is only centred), and categorical columns become one-hot groups over the
 * categories seen in training (an unseen category encodes as all zeros). Features keep the file's
 * column order. Missing values are an error naming the line and column.
 *
 * <pre>{@code
 * TabularSource wine = TabularSource.fromResource("/kiln/data/uci/wine_data.csv")
 *         .header(Header.SKLEARN).columns("alcohol", "malic_acid", ...).target("class")
 *         .describedAs("UCI wine").build();
 * }</pre>
 *
 * <p>Loading keeps the fitted encoding, so {@link #readInputs} encodes new rows the same way.
 */
public final class TabularSource implements DataSource, InputReader {
    private final String resource;
    private final Path file;
    private final String description;
    private final Header header;
    private final List<String> columnNames;
    private final String target;
    private final boolean regression;
    private final List<String> classNames;
    private final Set<String> categorical;
    private final Set<String> ignored;
    private final double trainFraction, validationFraction, testFraction;
    private final char delimiter;
    // Fitted by load().
    private Encoding encoding;
    private List<String> classes;

    private TabularSource(Builder b) {
        this.resource = b.resource;
        this.file = b.file;
        this.description = b.description;
        this.header = b.header;
        this.columnNames = List.copyOf(b.columnNames);
        this.target = b.target;
        this.regression = b.regression;
        this.classNames = List.copyOf(b.classNames);
        this.categorical = Set.copyOf(b.categorical);
        this.ignored = Set.copyOf(b.ignored);
        this.trainFraction = b.train;
        this.validationFraction = b.validation;
        this.testFraction = b.test;
        this.delimiter = b.delimiter;
    }

    /** A table bundled on the class path, e.g. {@code "/kiln/data/uci/wine_data.csv"}. */
    public static Builder fromResource(String resource) {
        return new Builder(resource, null);
    }

    /** A table in a file. */
    public static Builder fromFile(Path file) {
        return new Builder(null, file);
    }

    /**
     * Reads the table from {@code dataDir} when given (a CSV file, or a directory holding one of
     * the default's file name), else from the default resource or file.
     */
    @Override
    public Splits load(Path dataDir, long seed) throws DataException {
        String name = defaultName();
        List<CsvReader.Row> rows;
        if (dataDir != null) {
            Path source = Files.isDirectory(dataDir) ? dataDir.resolve(name) : dataDir;
            if (!Files.isRegularFile(source)) throw new DataException(source + ": no such file");
            rows = CsvReader.read(source, delimiter, false);
            name = source.toString();
        } else if (file != null) {
            rows = CsvReader.read(file, delimiter, false);
            name = file.toString();
        } else {
            InputStream in = TabularSource.class.getResourceAsStream(resource);
            if (in == null) throw new DataException(resource + ": not on the class path; give the CSV file as the data");
            rows = CsvReader.read(in, resource, delimiter, false);
        }
        // scikit-learn's first line has its own width; every other file is checked whole.
        CsvReader.checkWidths(name, header == Header.SKLEARN && !rows.isEmpty() ? rows.subList(1, rows.size()) : rows);
        Table table = table(name, rows);
        return split(table, seed);
    }

    @Override
    public String describe() {
        if (encoding == null) return description;
        return String.format(Locale.ROOT, "%s (%d features%s)", description, encoding.width,
                regression ? "" : ", " + classes.size() + " classes");
    }

    /** The class names in index order after {@link #load} (empty for regression). */
    public List<String> classes() {
        if (encoding == null) throw new IllegalStateException("load() first");
        return classes == null ? List.of() : classes;
    }

    /** Names of the encoded features after {@link #load}, e.g. {@code "colour=red"} for a one-hot column. */
    public List<String> featureNames() {
        if (encoding == null) throw new IllegalStateException("load() first");
        return encoding.featureNames();
    }

    /**
     * Encodes the rows of {@code file} as {@link #load} encoded the training rows. The file has
     * the same columns, with or without the target column; a first line of names is recognised
     * (for {@link Header#SKLEARN} files too) and then columns are matched by name.
     */
    @Override
    public float[] readInputs(Path input) throws DataException {
        if (encoding == null) throw new IllegalStateException("load() first");
        List<CsvReader.Row> rows = CsvReader.read(input, delimiter);
        if (rows.isEmpty()) return new float[0];
        String[] first = rows.get(0).fields();
        // A first line of names is told apart by holding a field that is not a number; a categorical
        // column makes that ambiguous, so there the line must name the columns exactly.
        boolean named = encoding.columns.stream().allMatch(c -> Arrays.asList(first).contains(c.name))
                || encoding.columns.stream().noneMatch(c -> c.oneHot) && Arrays.stream(first).anyMatch(f -> !CsvReader.isNumber(f));
        int[] columnOf = new int[encoding.columns.size()]; // file column of each encoded source column
        List<CsvReader.Row> data = named ? rows.subList(1, rows.size()) : rows;
        if (named) {
            List<String> names = Arrays.asList(first);
            for (int i = 0; i < columnOf.length; i++) {
                columnOf[i] = names.indexOf(encoding.columns.get(i).name);
                if (columnOf[i] < 0) {
                    throw new DataException(input + ":" + rows.get(0).line() + ": no column named '" + encoding.columns.get(i).name
                            + "'; the model's input columns are " + encoding.columnNames());
                }
            }
        } else {
            int withTarget = encoding.fileColumns, without = encoding.fileColumns - 1;
            if (first.length != withTarget && first.length != without) {
                throw new DataException(input + ":" + rows.get(0).line() + ": " + first.length + " fields, expected " + without
                        + " (the input columns " + encoding.columnNames() + ") or " + withTarget + " with the target");
            }
            for (int i = 0; i < columnOf.length; i++) {
                int c = encoding.columns.get(i).fileIndex;
                columnOf[i] = first.length == withTarget || c < encoding.targetIndex ? c : c - 1;
            }
        }
        float[] x = new float[data.size() * encoding.width];
        for (int r = 0; r < data.size(); r++) encoding.encode(input.toString(), data.get(r), columnOf, x, r * encoding.width);
        return x;
    }

    // ---- reading ----

    /** The rows and column names after header handling. */
    private record Table(String name, List<String> columns, List<CsvReader.Row> rows, List<String> classNames) {}

    private Table table(String name, List<CsvReader.Row> rows) throws DataException {
        if (rows.isEmpty()) throw new DataException(name + ": empty");
        List<String> names = new ArrayList<>(columnNames);
        List<String> sklearnClasses = List.of();
        boolean firstIsHeader = switch (header) {
            case NAMES, SKLEARN -> true;
            case NONE -> false;
            case AUTO -> Arrays.stream(rows.get(0).fields()).anyMatch(f -> !CsvReader.isNumber(f));
        };
        List<CsvReader.Row> data;
        if (header == Header.SKLEARN) {
            CsvReader.Row counts = rows.get(0);
            String[] f = counts.fields();
            int samples, features;
            try {
                samples = Integer.parseInt(f[0]);
                features = Integer.parseInt(f[1]);
            } catch (NumberFormatException | ArrayIndexOutOfBoundsException e) {
                throw new DataException(name + ":" + counts.line() + ": expected scikit-learn's first line n_samples,n_features,class names...");
            }
            sklearnClasses = List.of(Arrays.copyOfRange(f, 2, f.length));
            data = rows.subList(1, rows.size());
            if (data.size() != samples) {
                throw new DataException(name + ": the first line announces " + samples + " rows but " + data.size() + " follow");
            }
            if (!data.isEmpty() && data.get(0).fields().length != features + 1) {
                throw new DataException(name + ":" + data.get(0).line() + ": " + data.get(0).fields().length + " fields, expected "
                        + (features + 1) + " (" + features + " features and the class, as the first line says)");
            }
            if (names.isEmpty()) {
                for (int i = 1; i <= features; i++) names.add("feature" + i);
                names.add("class");
            }
        } else if (firstIsHeader) {
            if (names.isEmpty()) names.addAll(Arrays.asList(rows.get(0).fields()));
            data = rows.subList(1, rows.size());
        } else {
            data = rows;
            if (names.isEmpty()) for (int i = 1; i <= rows.get(0).fields().length; i++) names.add("column" + i);
        }
        int width = (header == Header.SKLEARN || !firstIsHeader ? data.isEmpty() ? names.size() : data.get(0).fields().length
                : rows.get(0).fields().length);
        if (names.size() != width) {
            throw new DataException(name + ": " + names.size() + " column names given for " + width + " columns");
        }
        if (new HashSet<>(names).size() != names.size()) throw new DataException(name + ": column names repeat: " + names);
        if (data.isEmpty()) throw new DataException(name + ": no data rows");
        return new Table(name, names, data, sklearnClasses);
    }

    // ---- splitting and encoding ----

    private Splits split(Table t, long seed) throws DataException {
        int targetIndex = t.columns.indexOf(target == null ? t.columns.get(t.columns.size() - 1) : target);
        if (targetIndex < 0) throw new DataException(t.name + ": no target column '" + target + "'; the columns are " + t.columns);
        for (String c : categorical) if (!t.columns.contains(c)) throw new DataException(t.name + ": no categorical column '" + c + "'");
        for (String c : ignored) if (!t.columns.contains(c)) throw new DataException(t.name + ": no column '" + c + "' to ignore");
        int n = t.rows.size();

        int[] labels = null;
        float[] targets = null;
        if (regression) {
            targets = new float[n];
            for (int r = 0; r < n; r++) targets[r] = number(t.name, t.rows.get(r), targetIndex, t.columns.get(targetIndex));
        } else {
            labels = labels(t, targetIndex);
        }

        // Stratified split: each class's rows are shuffled and cut in the given proportions.
        SplittableRandom rnd = new SplittableRandom(seed ^ 0x5DEECE66DL);
        List<List<Integer>> strata = new ArrayList<>();
        int groups = regression ? 1 : classes.size();
        for (int g = 0; g < groups; g++) strata.add(new ArrayList<>());
        for (int r = 0; r < n; r++) strata.get(regression ? 0 : labels[r]).add(r);
        List<Integer> train = new ArrayList<>(), validation = new ArrayList<>(), test = new ArrayList<>();
        for (List<Integer> stratum : strata) {
            for (int i = stratum.size() - 1; i > 0; i--) {
                int j = rnd.nextInt(i + 1);
                Integer tmp = stratum.get(i);
                stratum.set(i, stratum.get(j));
                stratum.set(j, tmp);
            }
            int size = stratum.size();
            int nTest = (int) Math.round(size * testFraction), nValidation = (int) Math.round(size * validationFraction);
            int nTrain = size - nTest - nValidation;
            train.addAll(stratum.subList(0, nTrain));
            validation.addAll(stratum.subList(nTrain, nTrain + nValidation));
            test.addAll(stratum.subList(nTrain + nValidation, size));
        }
        train.sort(null);
        validation.sort(null);
        test.sort(null);
        if (train.isEmpty()) throw new DataException(t.name + ": too few rows (" + n + ") for a training split");

        encoding = Encoding.fit(t, targetIndex, categorical, ignored, train);
        String base = description.toLowerCase(Locale.ROOT);
        return new Splits(dataset(base + " train", t, train, labels, targets), dataset(base + " validation", t, validation, labels, targets),
                dataset(base + " test", t, test, labels, targets));
    }

    private int[] labels(Table t, int targetIndex) throws DataException {
        int n = t.rows.size();
        List<String> known = !classNames.isEmpty() ? classNames : t.classNames;
        int[] labels = new int[n];
        if (!known.isEmpty()) {
            classes = known;
            for (int r = 0; r < n; r++) {
                String v = t.rows.get(r).fields()[targetIndex];
                int index = known.indexOf(v);
                if (index < 0) {
                    try {
                        index = Integer.parseInt(v);
                    } catch (NumberFormatException e) {
                        index = -1;
                    }
                }
                if (index < 0 || index >= known.size()) {
                    throw new DataException(t.name + ":" + t.rows.get(r).line() + ": class '" + v + "' is neither one of " + known
                            + " nor an index 0.." + (known.size() - 1));
                }
                labels[r] = index;
            }
            return labels;
        }
        boolean numeric = t.rows.stream().allMatch(row -> CsvReader.isNumber(row.fields()[targetIndex]));
        TreeSet<String> distinct = new TreeSet<>(numeric
                ? (a, b) -> Double.compare(Double.parseDouble(a), Double.parseDouble(b))
                : java.util.Comparator.<String>naturalOrder());
        for (CsvReader.Row row : t.rows) distinct.add(row.fields()[targetIndex]);
        classes = List.copyOf(distinct);
        for (int r = 0; r < n; r++) labels[r] = distinct.headSet(t.rows.get(r).fields()[targetIndex]).size();
        if (classes.size() < 2) throw new DataException(t.name + ": the target column has only one class: " + classes);
        return labels;
    }

    private Dataset dataset(String name, Table t, List<Integer> rows, int[] labels, float[] targets) throws DataException {
        int width = encoding.width;
        float[] x = new float[rows.size() * width];
        int[] identity = new int[encoding.columns.size()];
        for (int i = 0; i < identity.length; i++) identity[i] = encoding.columns.get(i).fileIndex;
        for (int i = 0; i < rows.size(); i++) encoding.encode(t.name, t.rows.get(rows.get(i)), identity, x, i * width);
        if (regression) {
            float[] y = new float[rows.size()];
            for (int i = 0; i < y.length; i++) y[i] = targets[rows.get(i)];
            return Dataset.ofTargets(name, x, width, y, 1);
        }
        int[] y = new int[rows.size()];
        for (int i = 0; i < y.length; i++) y[i] = labels[rows.get(i)];
        return Dataset.ofLabels(name, x, width, y);
    }

    static float number(String name, CsvReader.Row row, int column, String columnName) throws DataException {
        String text = row.fields()[column];
        if (text.isEmpty() || text.equalsIgnoreCase("na") || text.equals("?") || text.equalsIgnoreCase("nan")) {
            throw new DataException(name + ":" + row.line() + ": column '" + columnName + "' has no value ('" + text
                    + "'); missing values are not supported: fill them in or drop the row");
        }
        try {
            double v = Double.parseDouble(text);
            if (Double.isFinite(v)) return (float) v;
        } catch (NumberFormatException e) {
            // reported below
        }
        throw new DataException(name + ":" + row.line() + ": column '" + columnName + "': '" + text
                + "' is not a number (declare the column categorical if it is one)");
    }

    private String defaultName() {
        String path = file != null ? file.getFileName().toString() : resource;
        return path.substring(path.lastIndexOf('/') + 1);
    }

    /** The fitted feature encoding: per source column, standardisation or a one-hot group. */
    private static final class Encoding {
        record Column(String name, int fileIndex, boolean oneHot, float mean, float scale, List<String> categories, int offset) {}

        final List<Column> columns;
        final int width;
        final int fileColumns;
        final int targetIndex;

        private Encoding(List<Column> columns, int width, int fileColumns, int targetIndex) {
            this.columns = columns;
            this.width = width;
            this.fileColumns = fileColumns;
            this.targetIndex = targetIndex;
        }

        static Encoding fit(Table t, int targetIndex, Set<String> categorical, Set<String> ignored, List<Integer> train)
                throws DataException {
            List<Column> columns = new ArrayList<>();
            int offset = 0;
            for (int c = 0; c < t.columns.size(); c++) {
                String name = t.columns.get(c);
                if (c == targetIndex || ignored.contains(name)) continue;
                if (categorical.contains(name)) {
                    Set<String> seen = new LinkedHashSet<>();
                    for (int r : train) seen.add(t.rows.get(r).fields()[c]);
                    List<String> categories = List.copyOf(new TreeSet<>(seen));
                    columns.add(new Column(name, c, true, 0, 1, categories, offset));
                    offset += categories.size();
                } else {
                    double sum = 0, sumSq = 0;
                    for (int r : train) sum += number(t.name, t.rows.get(r), c, name);
                    double mean = sum / train.size();
                    for (int r : train) {
                        double d = number(t.name, t.rows.get(r), c, name) - mean;
                        sumSq += d * d;
                    }
                    double std = Math.sqrt(sumSq / train.size());
                    columns.add(new Column(name, c, false, (float) mean, (float) (std > 0 ? 1 / std : 1), List.of(), offset));
                    offset++;
                }
            }
            if (offset == 0) throw new DataException(t.name + ": no feature columns left besides the target");
            return new Encoding(columns, offset, t.columns.size(), targetIndex);
        }

        /** Encodes {@code row} (its fields at {@code columnOf[i]} for source column i) into x[at, at + width). */
        void encode(String name, CsvReader.Row row, int[] columnOf, float[] x, int at) throws DataException {
            for (int i = 0; i < columns.size(); i++) {
                Column c = columns.get(i);
                if (c.oneHot) {
                    int k = c.categories.indexOf(row.fields()[columnOf[i]]);
                    if (k >= 0) x[at + c.offset + k] = 1f;
                } else {
                    x[at + c.offset] = (number(name, row, columnOf[i], c.name) - c.mean) * c.scale;
                }
            }
        }

        List<String> columnNames() {
            return columns.stream().map(Column::name).toList();
        }

        List<String> featureNames() {
            List<String> names = new ArrayList<>();
            for (Column c : columns) {
                if (c.oneHot) for (String k : c.categories) names.add(c.name + "=" + k);
                else names.add(c.name);
            }
            return names;
        }
    }

    /** Configures a {@link TabularSource}; every setting but the file is optional. */
    public static final class Builder {
        private final String resource;
        private final Path file;
        private String description;
        private Header header = Header.AUTO;
        private final List<String> columnNames = new ArrayList<>();
        private String target;
        private boolean regression;
        private final List<String> classNames = new ArrayList<>();
        private final Set<String> categorical = new HashSet<>();
        private final Set<String> ignored = new HashSet<>();
        private double train = 0.7, validation = 0.15, test = 0.15;
        private char delimiter = ',';

        private Builder(String resource, Path file) {
            this.resource = resource;
            this.file = file;
            String path = file != null ? file.getFileName().toString() : resource;
            String base = path.substring(path.lastIndexOf('/') + 1);
            this.description = base.contains(".") ? base.substring(0, base.indexOf('.')) : base;
        }

        /** For the log, e.g. {@code "UCI wine"} (default: the file name without extension). */
        public Builder describedAs(String description) {
            this.description = Objects.requireNonNull(description);
            return this;
        }

        /** What the first line holds (default {@link Header#AUTO}). */
        public Builder header(Header header) {
            this.header = Objects.requireNonNull(header);
            return this;
        }

        /** Names for the columns, in file order; replaces the header's names when there is one. */
        public Builder columns(String... names) {
            columnNames.clear();
            columnNames.addAll(List.of(names));
            return this;
        }

        /** The target column (default: the last). */
        public Builder target(String column) {
            this.target = Objects.requireNonNull(column);
            return this;
        }

        /** The class names in index order; the target column may hold a name or an index. Default: scikit-learn's first line, else the distinct values, sorted. */
        public Builder classes(String... names) {
            classNames.clear();
            classNames.addAll(List.of(names));
            return this;
        }

        /** The target is a number to predict, not a class. */
        public Builder regression() {
            this.regression = true;
            return this;
        }

        /** Columns holding categories rather than numbers: each becomes a one-hot group. */
        public Builder categorical(String... columns) {
            categorical.addAll(List.of(columns));
            return this;
        }

        /** Columns left out of the features (identifiers, say). */
        public Builder ignore(String... columns) {
            ignored.addAll(List.of(columns));
            return this;
        }

        /** Fractions of the rows for train, validation and test (default 0.7, 0.15, 0.15); they must add up to 1. */
        public Builder split(double train, double validation, double test) {
            if (!(train > 0 && validation >= 0 && test >= 0) || Math.abs(train + validation + test - 1) > 1e-9) {
                throw new IllegalArgumentException("split fractions must be >= 0 (train > 0) and add up to 1, got "
                        + train + ", " + validation + ", " + test);
            }
            this.train = train;
            this.validation = validation;
            this.test = test;
            return this;
        }

        public Builder delimiter(char delimiter) {
            this.delimiter = delimiter;
            return this;
        }

        public TabularSource build() {
            return new TabularSource(this);
        }
    }
}
