package io.hypomag.cds.hooks;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class CardSummaryTest {
    @Test
    void aShortSummaryIsKept() {
        assertEquals("Low magnesium 1.3 mg/dL", CardSummary.fit("Low magnesium 1.3 mg/dL"));
    }

    @Test
    void aLongOneIsCutAtAWordWithAnEllipsisAndStaysUnderTheLimit() {
        String drugs = "omeprazole, furosemide, hydrochlorothiazide, gentamicin, cisplatin, cyclosporine, "
                + "tacrolimus, pentamidine, amphotericin B, panitumumab";
        String fitted = CardSummary.fit("Low magnesium 1.3 mg/dL; may be caused by " + drugs);
        assertTrue(fitted.codePointCount(0, fitted.length()) <= Card.MAX_SUMMARY_LENGTH, fitted);
        assertTrue(fitted.endsWith("…"), fitted);
        assertTrue(!fitted.endsWith(",…"), fitted);
    }
}
