package io.thrustline.reporting;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class CsvCellsTest {

    @Test
    void cellsASpreadsheetWouldRunAsFormulasAreDefused() {
        assertThat(ResearchExport.csv("=HYPERLINK(\"x\")", "+cmd", "-2+3", "@SUM(A1)", "\tx", "\rx"))
                .isEqualTo("\"'=HYPERLINK(\"\"x\"\")\",'+cmd,'-2+3,'@SUM(A1),'\tx,\"'\rx\"");
    }

    @Test
    void numbersAndOrdinaryTextStayAsTheyAre() {
        assertThat(ResearchExport.csv(-12.5, "-12.5", "+3", "LEFT", "a,b", null, 7)).isEqualTo("-12.5,-12.5,+3,LEFT,\"a,b\",,7");
    }

    @Test
    void timesAreIsoUtcAndAYearPast9999IsDefusedLikeAnyCellStartingWithPlus() {
        assertThat(ResearchExport.csv(java.time.Instant.parse("2026-11-21T09:14:05.250Z"), java.time.Instant.parse("+10000-01-01T00:00:00Z")))
                .isEqualTo("2026-11-21T09:14:05.250Z,'+10000-01-01T00:00:00Z");
    }
}
