import Testing
@testable import DVSCamera

@Suite("Word splitter")
struct WordSplitterTests {
    @Test("little-endian words across arbitrary cuts", arguments: [2, 4])
    func cuts(size: Int) {
        let bytes: [UInt8] = (0..<24).map { UInt8($0) }
        for cut in 0...bytes.count {
            var s = WordSplitter(size: size)
            var words: [UInt32] = []
            for part in [Array(bytes[..<cut]), Array(bytes[cut...])] {
                part.withUnsafeBytes { s.forEachWord(in: $0) { words.append($0) } }
            }
            let expected = stride(from: 0, to: 24, by: size).map { o in
                (0..<size).reduce(UInt32(0)) { $0 | UInt32(bytes[o + $1]) << (8 * $1) }
            }
            #expect(words == expected, "cut at \(cut)")
        }
    }
}
