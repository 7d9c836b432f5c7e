package io.hypomag.cds.fhir;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * One terminology CSV file as rows of named fields. Lines starting with {@code #} are comments (the sources
 * header); the first other line names the columns. Fields may be double-quoted (names such as
 * "cyclosporine, modified 25 MG Oral Capsule" contain commas). Every row must have exactly the header's
 * columns, otherwise loading fails naming the file and line.
 */
final class CsvTable {
    /** One data row, with its line number kept so that later checks can name it too. */
    record Row(String file, int line, Map<String, String> fields) {
        String get(String column) {
            String value = fields.get(column);
            if (value == null) {
                throw error("no column '" + column + "'");
            }
            return value;
        }

        TerminologyException error(String problem) {
            return new TerminologyException(file + " line " + line + ": " + problem);
        }
    }

    private CsvTable() {
    }

    /** Reads a classpath resource, e.g. {@code terminology/labs.csv}, and checks it has the expected columns. */
    static List<Row> read(String resource, List<String> expectedColumns) {
        InputStream in = CsvTable.class.getClassLoader().getResourceAsStream(resource);
        if (in == null) {
            throw new TerminologyException(resource + ": not found on the classpath");
        }
        try (BufferedReader reader = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8))) {
            return parse(resource, reader, expectedColumns);
        } catch (IOException e) {
            throw new TerminologyException(resource + ": cannot be read (" + e.getMessage() + ")");
        }
    }

    private static List<Row> parse(String file, BufferedReader reader, List<String> expectedColumns)
            throws IOException {
        List<String> header = null;
        List<Row> rows = new ArrayList<>();
        String text;
        int line = 0;
        while ((text = reader.readLine()) != null) {
            line++;
            if (text.isBlank() || text.startsWith("#")) {
                continue;
            }
            List<String> cells = split(text, file, line);
            if (header == null) {
                if (!cells.equals(expectedColumns)) {
                    throw new TerminologyException(file + " line " + line + ": header " + cells
                            + " is not the expected " + expectedColumns);
                }
                header = cells;
                continue;
            }
            if (cells.size() != header.size()) {
                throw new TerminologyException(file + " line " + line + ": " + cells.size() + " fields, expected "
                        + header.size() + " " + header);
            }
            Map<String, String> fields = new LinkedHashMap<>();
            for (int i = 0; i < header.size(); i++) {
                fields.put(header.get(i), cells.get(i).strip());
            }
            rows.add(new Row(file, line, Map.copyOf(fields)));
        }
        if (header == null) {
            throw new TerminologyException(file + ": no header line");
        }
        return List.copyOf(rows);
    }

    /** Splits one line; a quoted field may contain commas and doubled quotes. */
    static List<String> split(String text, String file, int line) {
        Objects.requireNonNull(text);
        List<String> cells = new ArrayList<>();
        StringBuilder cell = new StringBuilder();
        boolean quoted = false;
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (quoted) {
                if (c == '"' && i + 1 < text.length() && text.charAt(i + 1) == '"') {
                    cell.append('"');
                    i++;
                } else if (c == '"') {
                    quoted = false;
                } else {
                    cell.append(c);
                }
            } else if (c == '"' && cell.isEmpty()) {
                quoted = true;
            } else if (c == ',') {
                cells.add(cell.toString());
                cell.setLength(0);
            } else {
                cell.append(c);
            }
        }
        if (quoted) {
            throw new TerminologyException(file + " line " + line + ": unclosed quote");
        }
        cells.add(cell.toString());
        return cells;
    }
}
