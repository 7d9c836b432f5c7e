package io.hypomag.cds.fhir;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * The HL7 v3 RoleCode family relationships of terminology/relationships.csv: how to name a relative when the record
 * gives only the code, and which relationships are not by blood (adoptive, foster, step, in-law).
 */
public final class Relationships {
    public static final String RELATIONSHIPS = "terminology/relationships.csv";
    static final String ROLE_CODE = "http://terminology.hl7.org/CodeSystem/v3-RoleCode";
    /** The pre-R4 system URL, still sent by some servers. */
    static final String ROLE_CODE_OLD = "http://hl7.org/fhir/v3/RoleCode";
    private static final List<String> COLUMNS = List.of("code", "display", "blood", "source");
    /** Words that, in a relationship's display or text, say it is not by blood ("Stepmother", "mother-in-law"). */
    private static final Pattern NOT_BY_BLOOD = Pattern.compile(
            "(?i)step|adopt|foster|in-law|inlaw|spouse|wife|husband|partner");

    private record Relationship(String display, boolean blood) {
    }

    private final Map<String, Relationship> byCode;

    private Relationships(Map<String, Relationship> byCode) {
        this.byCode = Map.copyOf(byCode);
    }

    public static Relationships load() {
        return load(RELATIONSHIPS);
    }

    /** A display or text that names a relationship not by blood. */
    public boolean notByBloodText(String text) {
        return text != null && NOT_BY_BLOOD.matcher(text).find();
    }

    static Relationships load(String resource) {
        Map<String, Relationship> byCode = new HashMap<>();
        for (CsvTable.Row row : CsvTable.read(resource, COLUMNS)) {
            String code = row.get("code").strip();
            String blood = row.get("blood").strip();
            if (code.isEmpty() || row.get("display").isBlank() || row.get("source").isBlank()) {
                throw row.error("code, display and source must not be empty");
            }
            if (!blood.equals("yes") && !blood.equals("no")) {
                throw row.error("blood must be yes or no, not '" + blood + "'");
            }
            if (byCode.put(code, new Relationship(row.get("display").strip(), blood.equals("yes"))) != null) {
                throw row.error("code " + code + " is listed twice");
            }
        }
        return new Relationships(byCode);
    }

    /** The display of a RoleCode (with the R4 or the older system URL, or none). */
    public Optional<String> display(String system, String code) {
        return find(system, code).map(Relationship::display);
    }

    /** False for a RoleCode of adoption, fostering, marriage or step-parenthood; empty when the code is unknown. */
    public Optional<Boolean> blood(String system, String code) {
        return find(system, code).map(Relationship::blood);
    }

    private Optional<Relationship> find(String system, String code) {
        boolean roleCode = system == null || ROLE_CODE.equals(system) || ROLE_CODE_OLD.equals(system);
        return roleCode && code != null ? Optional.ofNullable(byCode.get(code.strip())) : Optional.empty();
    }
}
