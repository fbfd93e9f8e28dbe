package kiln.runtime.text;

import java.nio.file.Path;
import kiln.runtime.data.DataException;

/** Where a language model's text comes from: a file, a folder of files, or the source's default location. */
public interface TextSource {
    /** The whole text: from {@code data} (a file or a folder), or from the default location when it is null. */
    String read(Path data) throws DataException;

    /** What the text is, for a log line, e.g. {@code "Shakespeare's plays"}. */
    String describe();
}
