package dev.palisade.report;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Optional;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class LicenseExpressionsTest {
    private static final LicenseExpressions LICENSES = new LicenseExpressions();

    @ParameterizedTest
    @CsvSource(
            delimiter = '|',
            value = {
                "MIT | MIT",
                "mit | MIT",
                "Apache-2.0 OR MIT | Apache-2.0 OR MIT",
                "(MIT OR Apache-2.0) AND BSD-3-Clause | (MIT OR Apache-2.0) AND BSD-3-Clause",
                "GPL-2.0-only WITH Classpath-exception-2.0 | GPL-2.0-only WITH Classpath-exception-2.0",
                "GPL-2+ or Artistic | GPL-2.0-or-later OR Artistic-1.0-Perl",
                "Expat | MIT",
                "LicenseRef-Custom | LicenseRef-Custom",
            })
    void readsAValidExpression(String declared, String expected) {
        assertThat(LICENSES.expression(declared)).contains(expected);
    }

    @ParameterizedTest
    @CsvSource(
            delimiter = '|',
            value = {
                "Apache License, Version 2.0",
                "MIT AND",
                "(MIT",
                "MIT)",
                "MIT OR OR MIT",
                "MIT WITH MIT",
                "public-domain",
                "BSD",
            })
    void refusesWhatIsNotAnExpression(String declared) {
        assertThat(LICENSES.expression(declared)).isEmpty();
    }

    @ParameterizedTest
    @CsvSource(
            delimiter = '|',
            value = {"MIT;Apache-2.0 OR MIT | MIT AND (Apache-2.0 OR MIT)", "MIT;MIT | MIT"})
    void combinesSeveralDeclaredLicences(String declared, String expected) {
        assertThat(LICENSES.combined(List.of(declared.split(";")))).isEqualTo(Optional.of(expected));
    }
}
