package io.hypomag.cds.fhir;

import java.util.List;
import java.util.regex.Pattern;

/**
 * The names of the inherited magnesium-wasting disorders (terminology/inherited-tubulopathy-names.csv), for family
 * history recorded as text only. Matched case-insensitively as whole words, so "Bartter" matches "Bartter syndrome
 * type 3" and not a longer word.
 */
public final class TubulopathyNames {
    public static final String NAMES = "terminology/inherited-tubulopathy-names.csv";
    private static final List<String> COLUMNS = List.of("name", "source");

    private final List<Pattern> names;

    private TubulopathyNames(List<Pattern> names) {
        this.names = List.copyOf(names);
    }

    public static TubulopathyNames load() {
        return load(NAMES);
    }

    static TubulopathyNames load(String resource) {
        List<Pattern> names = CsvTable.read(resource, COLUMNS).stream().map(row -> {
            String name = row.get("name").strip();
            if (name.isEmpty() || row.get("source").isBlank()) {
                throw row.error("name and source must not be empty");
            }
            return Pattern.compile("(?i)(?<![\\p{L}\\d])" + Pattern.quote(name) + "(?![\\p{L}\\d])");
        }).toList();
        return new TubulopathyNames(names);
    }

    /** The text names one of the disorders. */
    public boolean namesOne(String text) {
        return text != null && names.stream().anyMatch(p -> p.matcher(text).find());
    }
}
