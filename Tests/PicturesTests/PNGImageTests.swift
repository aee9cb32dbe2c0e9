import Testing
import Foundation
import TestSupport
@testable import Pictures

@Suite("PNGImage")
struct PNGImageTests {
    /// The chunks of a PNG file: (type, data), checking each CRC.
    func chunks(_ file: [UInt8]) -> [(String, [UInt8])] {
        var out: [(String, [UInt8])] = []
        var i = 8
        func u32(_ at: Int) -> UInt32 { file[at..<(at + 4)].reduce(0) { $0 << 8 | UInt32($1) } }
        while i + 12 <= file.count {
            let n = Int(u32(i))
            let type = String(decoding: file[(i + 4)..<(i + 8)], as: UTF8.self)
            let data = Array(file[(i + 8)..<(i + 8 + n)])
            let crc = Array(file[(i + 4)..<(i + 8 + n)]).withUnsafeBytes { Zlib.crc32(0, $0) }
            #expect(crc == u32(i + 8 + n), "CRC of \(type)")
            out.append((type, data))
            i += 12 + n
        }
        return out
    }

    @Test("encodes signature, IHDR, IDAT and IEND, and the pixels decompress back")
    func roundTrip() throws {
        let rgb = (0..<(3 * 5 * 3)).map { UInt8($0 * 5) }
        let image = PNGImage(width: 5, height: 3, rgb: rgb)
        let file = try image.encoded()
        #expect(Array(file[0..<8]) == PNGPicture.signature)
        let c = chunks(file)
        #expect(c.map(\.0) == ["IHDR", "IDAT", "IEND"])
        #expect(c[0].1 == [0, 0, 0, 5, 0, 0, 0, 3, 8, 2, 0, 0, 0])
        let raw = try Zlib.uncompress(c[1].1, expected: 3 * 16)
        for y in 0..<3 {
            #expect(raw[y * 16] == 0)
            #expect(Array(raw[(y * 16 + 1)..<(y * 16 + 16)]) == Array(rgb[(y * 15)..<(y * 15 + 15)]))
        }
    }

    @Test("a write to a missing directory throws, naming the path")
    func writeFailure() throws {
        let dir = try SharedMaterial.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        let image = PNGImage(width: 1, height: 1, rgb: [1, 2, 3])
        let path = dir.appendingPathComponent("f.png").path
        try image.write(to: path)
        #expect(try PNGPicture.decode([UInt8](Data(contentsOf: URL(fileURLWithPath: path))), file: path).width == 1)
        let missing = dir.appendingPathComponent("no/such/dir/f.png").path
        let error = #expect(throws: PictureWriteError.self) { try image.write(to: missing) }
        #expect(error?.description.contains(missing) == true)
    }
}
