import Foundation
import Testing
@testable import Pipeline

@Suite("Line splitting for teaching scripts (#16)")
struct LineSplitterTests {
    static func split(_ parts: [String], limit: Int = 1 << 20) -> [LineSplitter.Piece] {
        var s = LineSplitter(limit: limit)
        var out: [LineSplitter.Piece] = []
        for p in parts { s.push(Array(p.utf8)) { out.append($0) } }
        s.finish { out.append($0) }
        return out
    }

    @Test("lines split across chunks come out whole and numbered; a last line without a newline counts")
    func chunks() {
        #expect(Self.split(["no", "w 1\n2s", " 3\n\nlast"]) ==
                [.line("now 1", number: 1), .line("2s 3", number: 2), .line("", number: 3), .line("last", number: 4)])
    }

    @Test("a line over the limit is reported once and skipped; the next line is read")
    func tooLong() {
        let long = String(repeating: "x", count: 100)
        #expect(Self.split(["a\n", long, long, "\nb\n"], limit: 64) ==
                [.line("a", number: 1), .tooLong(number: 2), .line("b", number: 3)])
    }

    @Test("a 50 MB line costs linear time and bounded memory")
    func fiftyMegabytes() {
        let chunk = [UInt8](repeating: 0x30, count: 1 << 16)
        var s = LineSplitter(limit: 1 << 20)
        var pieces: [LineSplitter.Piece] = []
        let began = Date()
        for _ in 0..<(50 << 20) / chunk.count { s.push(chunk) { pieces.append($0) } }
        s.push(Array("\nnow 1\n".utf8)) { pieces.append($0) }
        #expect(pieces == [.tooLong(number: 1), .line("now 1", number: 2)])
        #expect(Date().timeIntervalSince(began) < 20)
    }
}
