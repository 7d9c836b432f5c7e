package io.hypomag.cds.fhir;

import io.hypomag.cds.assessment.ConditionKind;
import io.hypomag.cds.assessment.DrugClass;
import io.hypomag.cds.assessment.LabKind;
import io.hypomag.cds.assessment.Route;
import io.hypomag.cds.fhir.ConditionCode.ConditionSystem;
import io.hypomag.cds.fhir.DrugEntry.DrugSystem;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * The lab, drug, route and condition codes of src/main/resources/terminology/, loaded once into immutable lookup
 * maps. Codes live in the data files (each names its sources) so that adding a drug, a lab or a condition code needs
 * no Java.
 * A malformed row fails {@link #load} with a {@link TerminologyException} naming the file and line, so the
 * service cannot start with a table that would silently miss patients.
 */
public final class Terminology {
    public static final String LABS = "terminology/labs.csv";
    public static final String DRUGS = "terminology/drugs.csv";
    public static final String ROUTES = "terminology/routes.csv";
    public static final String CONDITIONS = "terminology/conditions.csv";

    private static final List<String> LAB_COLUMNS = List.of("loinc", "kind", "long_name", "not_used", "source");
    private static final List<String> DRUG_COLUMNS =
            List.of("system", "code", "ingredient", "drug_class", "route", "display", "source");
    private static final List<String> ROUTE_COLUMNS = List.of("kind", "code", "route", "display", "source");
    private static final List<String> CONDITION_COLUMNS = List.of("system", "code", "kind", "display", "source");
    /** An ICD-10-CM category or code as terminology.md writes it: three characters, then a dot and up to four. */
    private static final Pattern ICD10CM = Pattern.compile("[A-Z][0-9][0-9A-Z](\\.[0-9A-Z]{1,4})?");
    private static final String NOT_USED = "NOT_USED";
    /** Verhoeff tables (dihedral group D5 and its permutation), for SNOMED CT check digits. */
    private static final int[][] VERHOEFF_D = {
        {0, 1, 2, 3, 4, 5, 6, 7, 8, 9}, {1, 2, 3, 4, 0, 6, 7, 8, 9, 5}, {2, 3, 4, 0, 1, 7, 8, 9, 5, 6},
        {3, 4, 0, 1, 2, 8, 9, 5, 6, 7}, {4, 0, 1, 2, 3, 9, 5, 6, 7, 8}, {5, 9, 8, 7, 6, 0, 4, 3, 2, 1},
        {6, 5, 9, 8, 7, 1, 0, 4, 3, 2}, {7, 6, 5, 9, 8, 2, 1, 0, 4, 3}, {8, 7, 6, 5, 9, 3, 2, 1, 0, 4},
        {9, 8, 7, 6, 5, 4, 3, 2, 1, 0}};
    private static final int[][] VERHOEFF_P = {
        {0, 1, 2, 3, 4, 5, 6, 7, 8, 9}, {1, 5, 7, 6, 2, 8, 3, 0, 9, 4}, {5, 8, 0, 3, 7, 9, 6, 1, 4, 2},
        {8, 9, 1, 6, 0, 4, 3, 5, 2, 7}, {9, 4, 5, 3, 1, 2, 6, 8, 7, 0}, {4, 2, 8, 6, 5, 7, 3, 9, 0, 1},
        {2, 7, 9, 3, 8, 0, 6, 4, 1, 5}, {7, 0, 4, 6, 9, 1, 3, 2, 5, 8}};

    private final Map<String, LabCode> labs;
    private final Map<String, DrugEntry> rxnorm;
    private final Map<String, DrugEntry> atc;
    /** Longest prefix first, so that the most specific ATC group wins. */
    private final List<DrugEntry> atcPrefixes;
    private final List<DrugEntry> names;
    private final List<DrugEntry> allDrugs;
    private final Map<String, Route> snomedRoutes;
    private final List<String> localFormWords;
    /** Longest prefix first, so that F10.23 (withdrawal) wins over F10.2 (dependence). */
    private final List<ConditionCode> icd10cmPrefixes;
    private final Map<String, ConditionCode> snomedConditions;
    private final List<ConditionCode> allConditions;

    private Terminology(Map<String, LabCode> labs, List<DrugEntry> drugs, Map<String, Route> snomedRoutes,
            List<String> localFormWords, List<ConditionCode> conditions) {
        this.labs = Map.copyOf(labs);
        this.allDrugs = List.copyOf(drugs);
        Map<String, DrugEntry> rx = new HashMap<>();
        Map<String, DrugEntry> at = new HashMap<>();
        List<DrugEntry> prefixes = new ArrayList<>();
        List<DrugEntry> named = new ArrayList<>();
        for (DrugEntry d : drugs) {
            switch (d.system()) {
                case RXNORM -> rx.put(d.code(), d);
                case ATC -> at.put(d.code(), d);
                case ATC_PREFIX -> prefixes.add(d);
                case NAME -> named.add(d);
            }
        }
        prefixes.sort(Comparator.comparingInt((DrugEntry d) -> d.code().length()).reversed());
        this.rxnorm = Map.copyOf(rx);
        this.atc = Map.copyOf(at);
        this.atcPrefixes = List.copyOf(prefixes);
        this.names = List.copyOf(named);
        this.snomedRoutes = Map.copyOf(snomedRoutes);
        this.localFormWords = List.copyOf(localFormWords);
        this.allConditions = List.copyOf(conditions);
        List<ConditionCode> icd = new ArrayList<>();
        Map<String, ConditionCode> sct = new HashMap<>();
        for (ConditionCode c : conditions) {
            switch (c.system()) {
                case ICD10CM_PREFIX -> icd.add(c);
                case SNOMED -> sct.put(c.code(), c);
            }
        }
        icd.sort(Comparator.comparingInt((ConditionCode c) -> ConditionCode.icd10cmKey(c.code()).length()).reversed());
        this.icd10cmPrefixes = List.copyOf(icd);
        this.snomedConditions = Map.copyOf(sct);
    }

    /** Loads the project's own files from the classpath. */
    public static Terminology load() {
        return load(LABS, DRUGS, ROUTES, CONDITIONS);
    }

    /** Loads the four files from these classpath resources (tests use this to load deliberately broken files). */
    public static Terminology load(String labsResource, String drugsResource, String routesResource,
            String conditionsResource) {
        return new Terminology(loadLabs(labsResource), loadDrugs(drugsResource), loadSnomedRoutes(routesResource),
                loadFormWords(routesResource), loadConditions(conditionsResource));
    }

    /** What a LOINC code stands for, if the table knows it. */
    public Optional<LabCode> lab(String loinc) {
        return Optional.ofNullable(loinc == null ? null : labs.get(loinc.strip()));
    }

    /** The row of an RxNorm ingredient or product code. */
    public Optional<DrugEntry> drugByRxNorm(String code) {
        return Optional.ofNullable(code == null ? null : rxnorm.get(code.strip()));
    }

    /** The row of an ATC code: an exact code row first, else the longest ATC group that the code falls in. */
    public Optional<DrugEntry> drugByAtc(String code) {
        if (code == null || code.isBlank()) {
            return Optional.empty();
        }
        String c = code.strip().toUpperCase(Locale.ROOT);
        DrugEntry exact = atc.get(c);
        if (exact != null) {
            return Optional.of(exact);
        }
        return atcPrefixes.stream().filter(p -> c.startsWith(p.code())).findFirst();
    }

    /** Every drug name of the table that occurs in the text as whole words, case-insensitively. */
    public List<DrugEntry> drugsNamedIn(String text) {
        if (text == null || text.isBlank()) {
            return List.of();
        }
        String normalized = Words.normalize(text);
        return names.stream().filter(n -> Words.containsPhrase(normalized, n.code())).toList();
    }

    /** SYSTEMIC or LOCAL for a SNOMED CT route code of routes.csv. */
    public Optional<Route> routeForSnomed(String code) {
        return Optional.ofNullable(code == null ? null : snomedRoutes.get(code.strip()));
    }

    /** The first local dose-form word (ophthalmic, ointment, eye drops, …) found in the text, if any. */
    public Optional<String> localFormWordIn(String text) {
        if (text == null || text.isBlank()) {
            return Optional.empty();
        }
        String normalized = Words.normalize(text);
        return localFormWords.stream().filter(w -> Words.containsPhrase(normalized, w)).findFirst();
    }

    /**
     * The kind of an ICD-10-CM code: the longest prefix of conditions.csv that the code starts with. Case, a
     * missing dot and surrounding blanks do not matter ({@code F10.230}, {@code F10230}); empty when no prefix fits.
     */
    public Optional<ConditionKind> conditionByIcd10cm(String code) {
        if (code == null || code.isBlank()) {
            return Optional.empty();
        }
        String key = ConditionCode.icd10cmKey(code);
        return icd10cmPrefixes.stream().filter(p -> key.startsWith(ConditionCode.icd10cmKey(p.code()))).findFirst()
                .map(ConditionCode::kind);
    }

    /** The kind of a SNOMED CT concept id of conditions.csv (exact match). */
    public Optional<ConditionKind> conditionBySnomed(String code) {
        return Optional.ofNullable(code == null ? null : snomedConditions.get(code.strip())).map(ConditionCode::kind);
    }

    /**
     * The kind of a coding of Condition.code (or FamilyMemberHistory.condition.code): ICD-10-CM by the longest
     * prefix, SNOMED CT exactly; other systems (WHO ICD-10 included) are not read.
     */
    public Optional<ConditionKind> condition(String system, String code) {
        if (code == null || code.isBlank()) {
            return Optional.empty();
        }
        if (CodeSystems.ICD10CM.equals(system)) {
            return conditionByIcd10cm(code);
        }
        if (CodeSystems.SNOMED.equals(system)) {
            return conditionBySnomed(code);
        }
        return Optional.empty();
    }

    /** Every row of conditions.csv, in file order. */
    public List<ConditionCode> conditionCodes() {
        return allConditions;
    }

    /** Every row of drugs.csv, in file order. */
    public List<DrugEntry> drugEntries() {
        return allDrugs;
    }

    public int labCodeCount() {
        return labs.size();
    }

    public int routeCodeCount() {
        return snomedRoutes.size();
    }

    private static Map<String, LabCode> loadLabs(String resource) {
        Map<String, LabCode> labs = new HashMap<>();
        for (CsvTable.Row row : CsvTable.read(resource, LAB_COLUMNS)) {
            String loinc = nonEmpty(row, "loinc");
            String longName = nonEmpty(row, "long_name");
            String kind = nonEmpty(row, "kind");
            LabCode code;
            if (kind.equals(NOT_USED)) {
                code = new LabCode.NotUsed(loinc, longName, nonEmpty(row, "not_used"));
            } else {
                if (!row.get("not_used").isEmpty()) {
                    throw row.error("not_used is only for kind " + NOT_USED);
                }
                code = new LabCode.Measured(loinc, longName, enumValue(row, "kind", LabKind.class));
            }
            nonEmpty(row, "source");
            if (labs.put(loinc, code) != null) {
                throw row.error("LOINC " + loinc + " is listed twice");
            }
        }
        return labs;
    }

    private static List<DrugEntry> loadDrugs(String resource) {
        List<DrugEntry> drugs = new ArrayList<>();
        Map<String, Integer> seen = new HashMap<>();
        for (CsvTable.Row row : CsvTable.read(resource, DRUG_COLUMNS)) {
            DrugSystem system;
            try {
                system = DrugSystem.fromLabel(nonEmpty(row, "system"));
            } catch (IllegalArgumentException e) {
                throw row.error(e.getMessage() + " in column system (rxnorm, atc, atc-prefix, name)");
            }
            String code = nonEmpty(row, "code");
            if (system == DrugSystem.ATC || system == DrugSystem.ATC_PREFIX) {
                if (!code.matches("[A-Z][0-9A-Z]*")) {
                    throw row.error("'" + code + "' is not an ATC code");
                }
            } else if (system == DrugSystem.RXNORM && !code.matches("[0-9]+")) {
                throw row.error("'" + code + "' is not an RxCUI");
            }
            String ingredient = nonEmpty(row, "ingredient");
            if (!ingredient.equals(ingredient.toLowerCase(Locale.ROOT))) {
                throw row.error("ingredient '" + ingredient + "' must be lower case");
            }
            DrugClass drugClass = enumValue(row, "drug_class", DrugClass.class);
            CodeRoute route = enumValue(row, "route", CodeRoute.class);
            nonEmpty(row, "source");
            String key = system.label() + "|" + code.toLowerCase(Locale.ROOT);
            Integer earlier = seen.put(key, row.line());
            if (earlier != null) {
                throw row.error(system.label() + " " + code + " is already on line " + earlier);
            }
            drugs.add(new DrugEntry(system, code, ingredient, drugClass, route, row.get("display"), row.get("source")));
        }
        return drugs;
    }

    private static List<ConditionCode> loadConditions(String resource) {
        List<ConditionCode> conditions = new ArrayList<>();
        Map<String, Integer> seen = new HashMap<>();
        for (CsvTable.Row row : CsvTable.read(resource, CONDITION_COLUMNS)) {
            ConditionSystem system;
            try {
                system = ConditionSystem.fromLabel(nonEmpty(row, "system"));
            } catch (IllegalArgumentException e) {
                throw row.error(e.getMessage() + " in column system (icd10cm-prefix, snomed)");
            }
            String code = nonEmpty(row, "code");
            String key;
            if (system == ConditionSystem.ICD10CM_PREFIX) {
                if (!ICD10CM.matcher(code).matches()) {
                    throw row.error("'" + code + "' is not an ICD-10-CM code (e.g. K85, F10.23)");
                }
                key = ConditionCode.icd10cmKey(code);
            } else {
                if (!isSnomedConceptId(code)) {
                    throw row.error("'" + code + "' is not a SNOMED CT concept id (digits, concept partition, "
                            + "Verhoeff check digit)");
                }
                key = code;
            }
            ConditionKind kind = enumValue(row, "kind", ConditionKind.class);
            nonEmpty(row, "source");
            Integer earlier = seen.put(system.label() + "|" + key, row.line());
            if (earlier != null) {
                throw row.error(system.label() + " " + code + " is already on line " + earlier);
            }
            conditions.add(new ConditionCode(system, code, kind, row.get("display"), row.get("source")));
        }
        return conditions;
    }

    /**
     * A SNOMED CT concept id: 6 to 18 digits, partition 00 (international) or 10 (extension) before the check
     * digit, and a valid Verhoeff check digit, which catches a mistyped or transposed digit.
     */
    static boolean isSnomedConceptId(String code) {
        if (!code.matches("[1-9][0-9]{5,17}")) {
            return false;
        }
        String partition = code.substring(code.length() - 3, code.length() - 1);
        return (partition.equals("00") || partition.equals("10")) && verhoeffValid(code);
    }

    private static boolean verhoeffValid(String digits) {
        int c = 0;
        for (int i = 0; i < digits.length(); i++) {
            int digit = digits.charAt(digits.length() - 1 - i) - '0';
            c = VERHOEFF_D[c][VERHOEFF_P[i % 8][digit]];
        }
        return c == 0;
    }

    private static Map<String, Route> loadSnomedRoutes(String resource) {
        Map<String, Route> routes = new HashMap<>();
        for (CsvTable.Row row : routeRows(resource)) {
            if (row.get("kind").equals("snomed")) {
                String code = nonEmpty(row, "code");
                if (!code.matches("[0-9]+")) {
                    throw row.error("'" + code + "' is not a SNOMED CT code");
                }
                if (routes.put(code, routeValue(row)) != null) {
                    throw row.error("SNOMED CT " + code + " is listed twice");
                }
            }
        }
        return routes;
    }

    private static List<String> loadFormWords(String resource) {
        List<String> words = new ArrayList<>();
        for (CsvTable.Row row : routeRows(resource)) {
            if (row.get("kind").equals("form-word")) {
                if (routeValue(row) != Route.LOCAL) {
                    throw row.error("a form-word row marks a local form; route must be local");
                }
                words.add(nonEmpty(row, "code"));
            }
        }
        return words;
    }

    private static List<CsvTable.Row> routeRows(String resource) {
        List<CsvTable.Row> rows = CsvTable.read(resource, ROUTE_COLUMNS);
        for (CsvTable.Row row : rows) {
            String kind = row.get("kind");
            if (!kind.equals("snomed") && !kind.equals("form-word")) {
                throw row.error("unknown kind '" + kind + "' (snomed, form-word)");
            }
            nonEmpty(row, "source");
        }
        return rows;
    }

    private static Route routeValue(CsvTable.Row row) {
        return switch (row.get("route")) {
            case "systemic" -> Route.SYSTEMIC;
            case "local" -> Route.LOCAL;
            default -> throw row.error("route '" + row.get("route") + "' is not systemic or local");
        };
    }

    private static String nonEmpty(CsvTable.Row row, String column) {
        String value = row.get(column);
        if (value.isEmpty()) {
            throw row.error("empty " + column);
        }
        return value;
    }

    private static <E extends Enum<E>> E enumValue(CsvTable.Row row, String column, Class<E> type) {
        String value = nonEmpty(row, column);
        try {
            return Enum.valueOf(type, value.toUpperCase(Locale.ROOT).replace('-', '_'));
        } catch (IllegalArgumentException e) {
            throw row.error("'" + value + "' in column " + column + " is not a " + type.getSimpleName());
        }
    }
}
