import Testing
import TestSupport
@testable import Pictures

@Suite("GIF LZW")
struct GIFCompressionTests {
    /// Indices from a fixed generator: runs and noise mixed, below 2^bits.
    static func indices(_ n: Int, bits: Int, seed: UInt64) -> [UInt8] {
        var state = seed, out: [UInt8] = []
        var run = 0, value: UInt8 = 0
        while out.count < n {
            state = state &* 6364136223846793005 &+ 1442695040888963407
            if run == 0 { value = UInt8(truncatingIfNeeded: state >> 33) & UInt8((1 << bits) - 1); run = Int(state >> 58) % 9 + 1 }
            out.append(value); run -= 1
        }
        return out
    }

    @Test("decodes back to the same indices: short, long (the table fills and clears), runs, every code size",
          arguments: [(0, 2), (1, 2), (5, 3), (1000, 2), (50_000, 8), (200_000, 4), (100_000, 1)])
    func roundTrip(count: Int, bits: Int) throws {
        let size = GIFCompression.minimumCodeSize(colours: 1 << bits)
        let input = Self.indices(count, bits: bits, seed: UInt64(count * 31 + bits))
        let codes = GIFCompression.compress(input, minimumCodeSize: size)
        #expect(try GIFTestDecoder.decompress(codes, minimumCodeSize: size) == input)
        if count >= 1000 { #expect(codes.count < count * bits / 8 + 64) }
    }

    @Test("a flat picture compresses to a few bytes, and the table's 4096 entries are never exceeded")
    func flat() throws {
        let input = [UInt8](repeating: 3, count: 1_000_000)
        let codes = GIFCompression.compress(input, minimumCodeSize: 8)
        #expect(codes.count < 4000)
        #expect(try GIFTestDecoder.decompress(codes, minimumCodeSize: 8) == input)
    }

    @Test("the minimum code size is at least 2 and fits the palette", arguments: [(1, 2), (2, 2), (4, 2), (5, 3), (256, 8)])
    func codeSize(colours: Int, expected: Int) {
        #expect(GIFCompression.minimumCodeSize(colours: colours) == expected)
    }

    @Test("sub-blocks hold at most 255 bytes and end with an empty block")
    func blocks() {
        let framed = GIFCompression.subBlocks([UInt8](repeating: 7, count: 600))
        #expect(framed.count == 600 + 3 + 1)
        #expect(framed[0] == 255 && framed[256] == 255 && framed[512] == 90 && framed.last == 0)
    }
}
