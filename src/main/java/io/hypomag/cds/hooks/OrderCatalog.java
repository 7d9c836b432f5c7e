package io.hypomag.cds.hooks;

import io.hypomag.cds.assessment.Workup;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.EnumMap;
import java.util.Map;
import java.util.Set;

/**
 * The orderable code of each test a card can suggest, from terminology/orders.csv. Loaded once; a malformed or
 * incomplete file stops start with the line at fault.
 */
public final class OrderCatalog {
    static final String RESOURCE = "terminology/orders.csv";

    /** One orderable test. */
    public record OrderCode(String system, String code, String display) {
    }

    private final Map<Workup, OrderCode> codes;

    private OrderCatalog(Map<Workup, OrderCode> codes) {
        this.codes = Map.copyOf(codes);
    }

    public static OrderCatalog load() {
        return load(RESOURCE);
    }

    static OrderCatalog load(String resource) {
        InputStream in = OrderCatalog.class.getClassLoader().getResourceAsStream(resource);
        if (in == null) {
            throw new IllegalStateException(resource + " is missing from the classpath");
        }
        Map<Workup, OrderCode> codes = new EnumMap<>(Workup.class);
        try (BufferedReader reader = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8))) {
            String line;
            int number = 0;
            boolean header = true;
            while ((line = reader.readLine()) != null) {
                number++;
                if (line.isBlank() || line.startsWith("#")) {
                    continue;
                }
                if (header) {
                    header = false;
                    continue;
                }
                String[] cells = line.split(",", -1);
                if (cells.length != 5 || Set.of(cells).stream().anyMatch(String::isBlank)) {
                    throw new IllegalStateException(resource + " line " + number + ": expected 5 non-empty cells");
                }
                Workup workup;
                try {
                    workup = Workup.valueOf(cells[0].trim());
                } catch (IllegalArgumentException e) {
                    throw new IllegalStateException(resource + " line " + number + ": unknown workup " + cells[0]);
                }
                if (codes.put(workup, new OrderCode(cells[1].trim(), cells[2].trim(), cells[3].trim())) != null) {
                    throw new IllegalStateException(resource + " line " + number + ": " + workup + " listed twice");
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        for (Workup workup : Workup.values()) {
            if (!codes.containsKey(workup)) {
                throw new IllegalStateException(resource + " has no code for " + workup);
            }
        }
        return new OrderCatalog(codes);
    }

    public OrderCode code(Workup workup) {
        return codes.get(workup);
    }
}
