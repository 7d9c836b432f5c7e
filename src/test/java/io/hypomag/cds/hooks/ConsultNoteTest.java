package io.hypomag.cds.hooks;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.hypomag.cds.assessment.DataGap;
import io.hypomag.cds.assessment.Finding;
import io.hypomag.cds.assessment.RuleId;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.EnumSource;

class ConsultNoteTest {
    @ParameterizedTest(name = "a {0} finding reaches the card")
    @EnumSource(RuleId.class)
    void everyRuleIsRenderedWithItsId(RuleId rule) {
        String detail = new ConsultNote().findings(List.of(Finding.info(rule, "finding of " + rule.id()))).render();
        assertTrue(detail.contains("finding of " + rule.id() + " `" + rule.id() + "`"), detail);
        assertTrue(detail.contains("Rules: " + rule.id()), detail);
    }

    @Test
    void findingsKeepTheSpecOrderOfSectionsAndCiteTheSource() {
        String detail = new ConsultNote().findings(List.of(
                Finding.info(RuleId.MG_RENAL, "kidneys"),
                Finding.info(RuleId.MG_LEVEL, "level"),
                Finding.info(RuleId.MG_CAUSE, "cause"))).render();
        assertTrue(detail.indexOf("level") < detail.indexOf("cause"));
        assertTrue(detail.indexOf("cause") < detail.indexOf("kidneys"));
        assertTrue(detail.endsWith("Source: StatPearls, Hypomagnesemia (NBK500003)."), detail);
    }

    @Test
    void valuesAreEscapedSoMarkdownShowsThemAsWritten() {
        String detail = new ConsultNote().findings(List.of(Finding.info(RuleId.MG_UNIT, "reported as <0.5 mmol/L")))
                .gaps(List.of(new DataGap("Observation/1", "unit [lb_av] * unknown"))).render();
        assertTrue(detail.contains("\\<0.5 mmol/L"), detail);
        assertTrue(detail.contains("\\[lb\\_av\\] \\*"), detail);
    }

    @Test
    void gapsAreListed() {
        String detail = new ConsultNote().gaps(List.of(new DataGap("prefetch key renal", "not supplied"))).render();
        assertEquals("**Data not used**\n\n- prefetch key renal: not supplied", detail);
    }

    @Test
    void noFindingsNoRulesLine() {
        assertEquals("", new ConsultNote().findings(List.of()).render());
    }

    @ParameterizedTest(name = "[{0}]")
    @CsvSource(delimiterString = "=>", quoteCharacter = '"', textBlock = """
            omeprazole           => omeprazole
            <0.5 mmol/L          => \\<0.5 mmol/L
            [lb_av]              => \\[lb\\_av\\]
            a*b`c#d|e\\f         => a\\*b\\`c\\#d\\|e\\\\f
            ends with >          => ends with \\>
            ""                   => ""
            """)
    void escapeMarksEveryMarkdownCharacterAndLeavesTheRest(String plain, String escaped) {
        assertEquals(escaped, ConsultNote.escape(plain));
    }
}
