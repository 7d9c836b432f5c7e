package io.hypomag.cds.assessment;

import java.math.BigDecimal;
import java.math.MathContext;
import java.math.RoundingMode;
import java.util.Locale;
import java.util.Optional;

/**
 * Unit recognition and conversion (MG-UNIT). A unit that is missing or not recognised yields empty: the value is
 * never guessed at. Units are compared without case and spaces, since senders mix UCUM codes and printed units
 * ({@code mg/dL}, {@code mg/dl}, {@code mEq/L}, {@code meq/L}).
 */
public final class Units {
    /** Mg 24.305 g/mol: 1 mmol/L = 2.4305 mg/dL. */
    static final BigDecimal MG_DL_PER_MMOL_L = new BigDecimal("2.4305");
    /** Ca 40.078 g/mol: 1 mmol/L = 4.008 mg/dL. */
    static final BigDecimal CA_MG_DL_PER_MMOL_L = new BigDecimal("4.008");
    /** Creatinine: 1 mg/dL = 88.4 µmol/L. */
    static final BigDecimal CREATININE_UMOL_PER_MG_DL = new BigDecimal("88.4");
    /** Phosphorus 30.974 g/mol: 1 mmol/L = 3.097 mg/dL. */
    static final BigDecimal PHOSPHATE_MG_DL_PER_MMOL_L = new BigDecimal("3.097");
    private static final MathContext PRECISION = MathContext.DECIMAL64;
    private static final BigDecimal TWO = BigDecimal.valueOf(2);

    private Units() {
    }

    /** The magnesium units the spec accepts, each in the family whose limits judge it (mass or molar). */
    public enum MagnesiumUnit {
        MG_PER_DL(true), MG_PER_L(true), MMOL_PER_L(false), MEQ_PER_L(false);

        private final boolean massFamily;

        MagnesiumUnit(boolean massFamily) {
            this.massFamily = massFamily;
        }

        /** Mass units are judged against the mg/dL limits, molar units against the mmol/L limits. */
        public boolean massFamily() {
            return massFamily;
        }
    }

    public static Optional<MagnesiumUnit> magnesiumUnit(String unit) {
        return switch (normalise(unit)) {
            case "mg/dl" -> Optional.of(MagnesiumUnit.MG_PER_DL);
            case "mg/l" -> Optional.of(MagnesiumUnit.MG_PER_L);
            case "mmol/l" -> Optional.of(MagnesiumUnit.MMOL_PER_L);
            case "meq/l" -> Optional.of(MagnesiumUnit.MEQ_PER_L);
            default -> Optional.empty();
        };
    }

    /** Serum or urine magnesium in mg/dL. */
    public static Optional<BigDecimal> magnesiumMgPerDl(Quantity q) {
        return magnesiumUnit(q.unit()).map(u -> switch (u) {
            case MG_PER_DL -> q.value();
            case MG_PER_L -> q.value().divide(BigDecimal.TEN, PRECISION);
            case MMOL_PER_L -> q.value().multiply(MG_DL_PER_MMOL_L, PRECISION);
            case MEQ_PER_L -> q.value().multiply(MG_DL_PER_MMOL_L, PRECISION).divide(TWO, PRECISION);
        });
    }

    /** Serum or urine magnesium in mmol/L (1 mEq/L = 0.5 mmol/L). */
    public static Optional<BigDecimal> magnesiumMmolPerL(Quantity q) {
        return magnesiumUnit(q.unit()).map(u -> switch (u) {
            case MMOL_PER_L -> q.value();
            case MEQ_PER_L -> q.value().divide(TWO, PRECISION);
            case MG_PER_DL -> q.value().divide(MG_DL_PER_MMOL_L, PRECISION);
            case MG_PER_L -> q.value().divide(BigDecimal.TEN, PRECISION).divide(MG_DL_PER_MMOL_L, PRECISION);
        });
    }

    /** Potassium in mmol/L (mEq/L is the same number for a monovalent ion). */
    public static Optional<BigDecimal> potassiumMmolPerL(Quantity q) {
        return switch (normalise(q.unit())) {
            case "mmol/l", "meq/l" -> Optional.of(q.value());
            default -> Optional.empty();
        };
    }

    /** Total calcium in mg/dL. */
    public static Optional<BigDecimal> calciumMgPerDl(Quantity q) {
        return switch (normalise(q.unit())) {
            case "mg/dl" -> Optional.of(q.value());
            case "mmol/l" -> Optional.of(q.value().multiply(CA_MG_DL_PER_MMOL_L, PRECISION));
            case "meq/l" -> Optional.of(q.value().multiply(CA_MG_DL_PER_MMOL_L, PRECISION).divide(TWO, PRECISION));
            default -> Optional.empty();
        };
    }

    /** Ionized calcium in mmol/L. */
    public static Optional<BigDecimal> calciumMmolPerL(Quantity q) {
        return switch (normalise(q.unit())) {
            case "mmol/l" -> Optional.of(q.value());
            case "mg/dl" -> Optional.of(q.value().divide(CA_MG_DL_PER_MMOL_L, PRECISION));
            case "meq/l" -> Optional.of(q.value().divide(TWO, PRECISION));
            default -> Optional.empty();
        };
    }

    /** Serum or urine creatinine in mg/dL. */
    public static Optional<BigDecimal> creatinineMgPerDl(Quantity q) {
        return switch (normalise(q.unit())) {
            case "mg/dl" -> Optional.of(q.value());
            case "umol/l", "µmol/l", "μmol/l" -> Optional.of(q.value().divide(CREATININE_UMOL_PER_MG_DL, PRECISION));
            case "mmol/l" -> Optional.of(q.value().multiply(BigDecimal.valueOf(1000))
                    .divide(CREATININE_UMOL_PER_MG_DL, PRECISION));
            default -> Optional.empty();
        };
    }

    /** Phosphate in mg/dL. */
    public static Optional<BigDecimal> phosphateMgPerDl(Quantity q) {
        return switch (normalise(q.unit())) {
            case "mg/dl" -> Optional.of(q.value());
            case "mmol/l" -> Optional.of(q.value().multiply(PHOSPHATE_MG_DL_PER_MMOL_L, PRECISION));
            default -> Optional.empty();
        };
    }

    /** eGFR in mL/min/1.73 m², from the UCUM code or the usual printed forms. */
    public static Optional<BigDecimal> egfr(Quantity q) {
        String u = normalise(q.unit());
        boolean perArea = u.equals("ml/min/{1.73_m2}") || u.equals("ml/min/1.73m2") || u.equals("ml/min/1.73m^2")
                || u.equals("ml/min/1.73m²") || u.equals("ml/min/{1.73m2}") || u.equals("ml/min");
        return perArea ? Optional.of(q.value()) : Optional.empty();
    }

    /** Body weight in kg. */
    public static Optional<BigDecimal> weightKg(Quantity q) {
        return switch (normalise(q.unit())) {
            case "kg" -> Optional.of(q.value());
            case "g" -> Optional.of(q.value().divide(BigDecimal.valueOf(1000), PRECISION));
            case "[lb_av]", "lb", "lbs" -> Optional.of(q.value().multiply(new BigDecimal("0.45359237"), PRECISION));
            default -> Optional.empty();
        };
    }

    /**
     * The value of {@code q} in the unit the rules judge {@code kind} in, or empty when its unit is not one for that
     * kind. Glucose is only ever checked for being recent, so any mass or molar concentration does.
     */
    public static Optional<BigDecimal> canonical(LabKind kind, Quantity q) {
        return switch (kind) {
            case SERUM_MAGNESIUM, URINE_MAGNESIUM -> magnesiumMgPerDl(q);
            case POTASSIUM -> potassiumMmolPerL(q);
            case CALCIUM_TOTAL -> calciumMgPerDl(q);
            case CALCIUM_IONIZED -> calciumMmolPerL(q);
            case PHOSPHATE -> phosphateMgPerDl(q);
            case GLUCOSE -> switch (normalise(q.unit())) {
                case "mg/dl", "mmol/l" -> Optional.of(q.value());
                default -> Optional.empty();
            };
            case CREATININE, URINE_CREATININE -> creatinineMgPerDl(q);
            case EGFR -> egfr(q);
            case BODY_WEIGHT -> weightKg(q);
            case QTC -> normalise(q.unit()).equals("ms") ? Optional.of(q.value()) : Optional.empty();
        };
    }

    /** A unit the rules can read for this kind. */
    public static boolean readable(LabKind kind, String unit) {
        return canonical(kind, new Quantity(BigDecimal.ONE, unit, Comparator.NONE)).isPresent();
    }

    /** Two readable units of this kind that are the same unit (mg/dL and mg/dl; mmol/L and mEq/L for potassium). */
    public static boolean sameUnit(LabKind kind, String a, String b) {
        Optional<BigDecimal> one = canonical(kind, new Quantity(BigDecimal.ONE, a, Comparator.NONE));
        Optional<BigDecimal> other = canonical(kind, new Quantity(BigDecimal.ONE, b, Comparator.NONE));
        return one.isPresent() && other.isPresent() && one.get().compareTo(other.get()) == 0;
    }

    /** Rounds for display: two decimals, trailing zeros removed. */
    public static String format(BigDecimal value) {
        return value.setScale(2, RoundingMode.HALF_UP).stripTrailingZeros().toPlainString();
    }

    private static String normalise(String unit) {
        return unit == null ? "" : unit.replace(" ", "").toLowerCase(Locale.ROOT);
    }
}
