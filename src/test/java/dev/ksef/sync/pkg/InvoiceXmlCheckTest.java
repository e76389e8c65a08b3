package dev.ksef.sync.pkg;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class InvoiceXmlCheckTest {

    private final InvoiceXmlCheck check = new InvoiceXmlCheck();

    @ParameterizedTest
    @ValueSource(strings = {"invoice-template-fa-3-with-attachment.xml", "invoice-template-fa-3-with-custom-Subject3.xml"})
    void theOfficialSamplesAreWellFormed(String sample) throws Exception {
        assertNull(check.problem(Files.readAllBytes(Path.of("src/main/resources/ksef/samples", sample))));
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
        "truncated            | <Faktura><P_1>x</P_1>                         | 1 | Unexpected End-of-input",
        "mismatched end tag   | <Faktura><P_1>x</P_2></Faktura>               | 1 | Unexpected end tag",
        "control character    | <Faktura><!-- \u0001 --></Faktura>            | 1 | Illegal XML character",
        "second root          | <Faktura/><Faktura/>                          | 1 | Second root element",
        "undeclared entity    | <Faktura>&oops;</Faktura>                     | 1 | entity",
        "unbound prefix       | <p:Faktura/>                                  | 1 | Unbound namespace prefix",
        "duplicate attribute  | <Faktura a='1' a='2'/>                        | 1 | Duplicate attributes",
        "external entity      | <!DOCTYPE f [<!ENTITY x SYSTEM 'file:///etc/passwd'>]><Faktura>&x;</Faktura> | 1 | DOCTYPE declarations are refused",
    })
    void whatIsNotWellFormedIsNamedWithItsLine(String what, String xml, int line, String reason) {
        String problem = check.problem(xml.getBytes(StandardCharsets.UTF_8));
        assertTrue(problem.startsWith("not well-formed XML (line " + line), what + ": " + problem);
        assertTrue(problem.contains(reason), what + ": " + problem);
        assertTrue(!problem.contains("[row,col"), "the parser's location suffix is cut: " + problem);
    }

    @org.junit.jupiter.api.Test
    void bytesThatAreNotUtf8AreNamed() {
        byte[] latin2 = {'<', 'a', '>', (byte) 0xB1, (byte) 0x28, '<', '/', 'a', '>'};
        assertEquals("not well-formed XML (line 1, column 5): Illegal XML character ('\u00b1' (code 177))", check.problem(latin2),
                "ISO-8859-2 '\u0105' (0xB1) is not a UTF-8 character");
    }
}
