import Foundation
import Testing
import Tensors

@Suite("jsonQuoted: the one JSON string writer")
struct JSONTextTests {
    @Test("quotes, backslashes and control characters are escaped, and a JSON reader reads back the same string",
          arguments: ["plain", "a \"quoted\" word", "back\\slash", "line\nbreak\r\ttab", "bell\u{07} nul\u{00} us\u{1F}",
                      "Grüße, 手, 🙂", ""])
    func roundTrip(_ s: String) throws {
        let quoted = jsonQuoted(s)
        #expect(quoted.hasPrefix("\"") && quoted.hasSuffix("\""))
        #expect(!quoted.unicodeScalars.contains { $0.value < 0x20 }, "a raw control character in \(quoted)")
        let parsed = try JSONSerialization.jsonObject(with: Data("[\(quoted)]".utf8)) as? [String]
        #expect(parsed == [s])
    }

    @Test("named escapes for newline, carriage return and tab; \\u00XX for the other control characters")
    func escapes() {
        #expect(jsonQuoted("a\nb\rc\td") == #""a\nb\rc\td""#)
        #expect(jsonQuoted("\u{01}") == #""\u0001""#)
        #expect(jsonQuoted("\"\\") == #""\"\\""#)
    }
}
