package dev.palisade.vulndb.osv;

import static org.assertj.core.api.Assertions.assertThat;

import dev.palisade.vulndb.Advisory;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/** The RPM module stream of an affected entry, from the rpmmod qualifier Red Hat writes in the package purl. */
class OsvParserModuleStreamTest {
    static Advisory parse(String purl) throws Exception {
        String json =
                "{\"id\": \"RHSA-2024:1687\", \"modified\": \"2024-04-04T00:00:00Z\", \"affected\": [{\"package\":"
                        + " {\"ecosystem\": \"Red Hat:enterprise_linux:8::appstream\", \"name\": \"nodejs\", \"purl\": \""
                        + purl + "\"}, \"ranges\": [{\"type\": \"ECOSYSTEM\", \"events\": [{\"introduced\": \"0\"},"
                        + " {\"fixed\": \"1:20.12.1-1.module+el8.9.0+21474+6b7e8e1b\"}]}]}]}";
        return OsvParser.parse(json.getBytes(StandardCharsets.UTF_8), "Red Hat");
    }

    @Test
    void shouldReadTheModuleNameAndStreamFromTheRpmmodQualifier() throws Exception {
        assertThat(parse("pkg:rpm/redhat/nodejs?arch=x86_64&rpmmod=nodejs:20:8090020240315084210:a75119d5")
                        .affected())
                .singleElement()
                .satisfies(a -> assertThat(a.module()).isEqualTo("nodejs:20"));
        assertThat(parse("pkg:rpm/redhat/nodejs?rpmmod=nodejs%3A18")
                        .affected()
                        .get(0)
                        .module())
                .isEqualTo("nodejs:18");
    }

    @Test
    void shouldLeaveTheModuleEmptyWithoutAUsableQualifier() throws Exception {
        assertThat(parse("pkg:rpm/redhat/nodejs?arch=x86_64").affected().get(0).module())
                .isNull();
        assertThat(parse("pkg:rpm/redhat/nodejs?rpmmod=%zz").affected().get(0).module())
                .as("a malformed escape")
                .isNull();
        assertThat(parse("pkg:rpm/redhat/nodejs?rpmmod=nodejs")
                        .affected()
                        .get(0)
                        .module())
                .as("no stream")
                .isNull();
    }
}
