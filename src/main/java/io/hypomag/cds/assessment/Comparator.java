package io.hypomag.cds.assessment;

/** A quantity's comparator as received (FHIR Quantity.comparator). A bounded value is judged at its bound. */
public enum Comparator {
    NONE(""), LESS_THAN("<"), LESS_OR_EQUAL("<="), GREATER_OR_EQUAL(">="), GREATER_THAN(">");

    private final String symbol;

    Comparator(String symbol) {
        this.symbol = symbol;
    }

    public String symbol() {
        return symbol;
    }
}
