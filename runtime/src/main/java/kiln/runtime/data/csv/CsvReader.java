package kiln.runtime.data.csv;

import java.io.IOException;
import java.io.InputStream;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import kiln.runtime.data.DataException;

/**
 * Reads comma-separated values (RFC 4180): fields separated by a delimiter, optionally in double
 * quotes (a quoted field may hold the delimiter, line breaks, and {@code ""} for a quote); LF or
 * CRLF line ends; blank lines skipped; blanks around unquoted fields trimmed. Every row must have
 * as many fields as the first. Errors are {@link DataException}s naming the file and line, e.g.
 * {@code iris.csv:17: 4 fields, expected 5 as on line 1}.
 */
public final class CsvReader {
    /** One record and the line it starts on (1-based). */
    public record Row(int line, String[] fields) {}

    private CsvReader() {}

    public static List<Row> read(Path file, char delimiter) throws DataException {
        return read(file, delimiter, true);
    }

    /**
     * As {@link #read(Path, char)}; {@code sameWidth} false skips the field-count check (for files
     * whose first line is special; see {@link #checkWidths}).
     */
    public static List<Row> read(Path file, char delimiter, boolean sameWidth) throws DataException {
        try (Reader in = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
            return read(in, file.toString(), delimiter, sameWidth);
        } catch (NoSuchFileException e) {
            throw new DataException(file + ": no such file");
        } catch (IOException e) {
            throw new DataException(file + ": cannot read: " + e.getMessage(), e);
        }
    }

    /** Reads a UTF-8 stream; {@code name} prefixes error messages. */
    public static List<Row> read(InputStream in, String name, char delimiter, boolean sameWidth) throws DataException {
        try (Reader r = new java.io.InputStreamReader(in, StandardCharsets.UTF_8)) {
            return read(r, name, delimiter, sameWidth);
        } catch (IOException e) {
            throw new DataException(name + ": cannot read: " + e.getMessage(), e);
        }
    }

    public static List<Row> read(Reader in, String name, char delimiter, boolean sameWidth) throws IOException, DataException {
        if (delimiter == '"' || delimiter == '\n' || delimiter == '\r') throw new IllegalArgumentException("bad delimiter " + delimiter);
        List<Row> rows = new ArrayList<>();
        List<String> fields = new ArrayList<>();
        StringBuilder field = new StringBuilder();
        int line = 1, rowLine = 1, quoteLine = 0;
        boolean quoted = false;   // inside quotes
        boolean wasQuoted = false; // the current field was quoted (so: no trimming, nothing after the closing quote)
        boolean rowStarted = false;
        int expected = -1, expectedLine = 0;
        int c = in.read();
        if (c == 0xFEFF) c = in.read(); // byte-order mark
        while (true) {
            if (quoted) {
                if (c < 0) throw new DataException(name + ":" + quoteLine + ": quoted field is never closed");
                if (c == '"') {
                    int next = in.read();
                    if (next == '"') {
                        field.append('"');
                    } else {
                        quoted = false;
                        c = next;
                        continue;
                    }
                } else {
                    if (c == '\n') line++;
                    field.append((char) c);
                }
                c = in.read();
                continue;
            }
            if (c == '"') {
                if (wasQuoted || !field.toString().isBlank()) {
                    throw new DataException(name + ":" + line + ": stray quote in field " + (fields.size() + 1)
                            + "; quote the whole field and double quotes inside it");
                }
                field.setLength(0);
                quoted = wasQuoted = rowStarted = true;
                quoteLine = line;
            } else if (c == delimiter) {
                fields.add(finish(field, wasQuoted));
                wasQuoted = false;
                rowStarted = true;
            } else if (c == '\n' || c == '\r' || c < 0) {
                if (rowStarted || !field.toString().isBlank()) {
                    fields.add(finish(field, wasQuoted));
                    if (expected < 0) {
                        expected = fields.size();
                        expectedLine = rowLine;
                    } else if (sameWidth && fields.size() != expected) {
                        throw new DataException(name + ":" + rowLine + ": " + fields.size() + (fields.size() == 1 ? " field" : " fields")
                                + ", expected " + expected + " as on line " + expectedLine);
                    }
                    rows.add(new Row(rowLine, fields.toArray(new String[0])));
                }
                fields.clear();
                field.setLength(0);
                wasQuoted = rowStarted = false;
                if (c < 0) break;
                if (c == '\r') {
                    int next = in.read();
                    if (next != '\n') {
                        line++;
                        rowLine = line;
                        c = next;
                        continue;
                    }
                }
                line++;
                rowLine = line;
            } else {
                if (wasQuoted && !Character.isWhitespace(c)) {
                    throw new DataException(name + ":" + line + ": text after the closing quote of field " + (fields.size() + 1));
                }
                if (!wasQuoted) field.append((char) c);
                rowStarted = true;
            }
            c = in.read();
        }
        return rows;
    }

    /** Throws unless every row has as many fields as the first of {@code rows}. */
    public static void checkWidths(String name, List<Row> rows) throws DataException {
        if (rows.isEmpty()) return;
        Row first = rows.get(0);
        for (Row r : rows) {
            if (r.fields().length != first.fields().length) {
                int n = r.fields().length;
                throw new DataException(name + ":" + r.line() + ": " + n + (n == 1 ? " field" : " fields") + ", expected "
                        + first.fields().length + " as on line " + first.line());
            }
        }
    }

    private static String finish(StringBuilder field, boolean quoted) {
        String s = quoted ? field.toString() : field.toString().strip();
        field.setLength(0);
        return s;
    }

    /**
     * A file of numeric rows of {@code columns} values each (a first line with a field that is not
     * a number is taken for column names and skipped), as one row-major array.
     */
    public static float[] readMatrix(Path file, int columns) throws DataException {
        List<Row> rows = read(file, ',');
        if (!rows.isEmpty() && java.util.Arrays.stream(rows.get(0).fields()).anyMatch(f -> !isNumber(f))) rows = rows.subList(1, rows.size());
        float[] x = new float[rows.size() * columns];
        for (int r = 0; r < rows.size(); r++) {
            Row row = rows.get(r);
            if (row.fields().length != columns) {
                throw new DataException(file + ":" + row.line() + ": " + row.fields().length + " values, but the model takes " + columns + " inputs");
            }
            for (int c = 0; c < columns; c++) {
                String f = row.fields()[c];
                if (!isNumber(f)) throw new DataException(file + ":" + row.line() + ": value " + (c + 1) + " ('" + f + "') is not a number");
                x[r * columns + c] = Float.parseFloat(f);
            }
        }
        return x;
    }

    /** Whether {@code text} parses as a finite double. */
    public static boolean isNumber(String text) {
        try {
            return Double.isFinite(Double.parseDouble(text));
        } catch (NumberFormatException e) {
            return false;
        }
    }
}
