import EventFormats
import Testing

@Suite("XML text escaping")
struct XMLTextTests {
    @Test("the four characters that break XML content or a quoted attribute are replaced; the rest is kept")
    func escapes() {
        #expect(xmlEscaped(#"a<b & "c">d"#) == "a&lt;b &amp; &quot;c&quot;&gt;d")
        #expect(xmlEscaped("Δt 10 ms, ×2.74") == "Δt 10 ms, ×2.74")
        #expect(xmlEscaped("") == "")
    }
}
