import Testing
@testable import Pictures

@Suite("Zlib")
struct ZlibTests {
    let text = Array(String(repeating: "the quick brown fox jumps over the lazy dog ", count: 400).utf8)

    @Test("crc32 is the standard CRC-32 (check value of \"123456789\")")
    func crc() {
        #expect(Array("123456789".utf8).withUnsafeBytes { Zlib.crc32(0, $0) } == 0xCBF4_3926)
        #expect(Zlib.crc32(Array("123456789".utf8)[...]) == 0xCBF4_3926)
    }

    @Test("inflate gives back what compress made, at every level, growing its output past 64 KiB")
    func roundTrip() throws {
        let big = (0..<200_000).map { UInt8(truncatingIfNeeded: $0 &* 7 ^ $0 >> 5) }
        for level: Int32 in [0, 1, 6, 9] {
            #expect(try Zlib.inflate(Zlib.compress(text, level: level), expected: text.count) == text)
        }
        #expect(try Zlib.inflate(Zlib.compress(big), expected: big.count) == big)
        #expect(try Zlib.inflate(Zlib.compress([]), expected: 0) == [])
    }

    @Test("inflate ignores bytes after the end of the stream")
    func trailing() throws {
        #expect(try Zlib.inflate(Zlib.compress(text) + [1, 2, 3], expected: text.count) == text)
    }

    func failure(_ bytes: [UInt8], expected: Int) -> Zlib.InflateError? {
        do { _ = try Zlib.inflate(bytes, expected: expected); return nil } catch { return error }
    }

    @Test("inflate names the problem and the input byte where it was found")
    func errors() throws {
        let z = try Zlib.compress(text)
        let long = try #require(failure(z, expected: 100))
        #expect(long.problem == .tooLong(expected: 100))
        #expect((1...z.count).contains(long.inputOffset))
        #expect(failure(z, expected: text.count + 5)?.problem == .tooShort(expected: text.count + 5, found: text.count))
        let cut = try #require(failure(Array(z.prefix(z.count / 2)), expected: text.count))
        #expect(cut.problem == .truncated && cut.inputOffset == z.count / 2)
        var badHeader = z
        badHeader[1] ^= 0x01                                    // the header check (FCHECK) no longer holds
        let header = try #require(failure(badHeader, expected: text.count))
        #expect(header.problem == .corrupt("incorrect header check") && header.inputOffset <= 2)
        var badSum = z
        badSum[z.count - 1] ^= 0xFF                             // the Adler-32 at the end
        let sum = try #require(failure(badSum, expected: text.count))
        #expect(sum.problem == .corrupt("incorrect data check") && sum.inputOffset > z.count - 8)
        #expect("\(sum)".contains("input byte"))
    }
}
