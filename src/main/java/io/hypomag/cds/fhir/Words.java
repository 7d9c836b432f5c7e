package io.hypomag.cds.fhir;

import java.util.Locale;
import java.util.regex.Pattern;

/**
 * Whole-word matching for names in free text. Both sides are lower-cased and every run of non-letters and
 * non-digits becomes one space, so "Prilosec 20mg" contains "prilosec", "[Prilosec]" does too, and
 * "hydrochlorothiazide" does not contain "chlorothiazide".
 */
final class Words {
    /** Compiled once: {@code String.replaceAll} compiles its pattern on every call, and every drug name passes here. */
    private static final Pattern NON_WORD = Pattern.compile("[^\\p{L}\\p{Nd}]+");

    private Words() {
    }

    /** The text in matching form, padded with a space on each side. */
    static String normalize(String text) {
        if (text == null) {
            return " ";
        }
        String words = NON_WORD.matcher(text.toLowerCase(Locale.ROOT)).replaceAll(" ").strip();
        return " " + words + " ";
    }

    /** True when {@code normalizedText} (from {@link #normalize}) contains all of {@code phrase}'s words in a row. */
    static boolean containsPhrase(String normalizedText, String phrase) {
        String p = normalize(phrase);
        return !p.isBlank() && normalizedText.contains(p);
    }
}
