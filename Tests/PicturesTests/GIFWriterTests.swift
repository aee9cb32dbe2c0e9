import Foundation
import Testing
import TestSupport
@testable import Pictures

@Suite("GIF writer")
struct GIFWriterTests {
    @Test("frames decode back with their pixels, delays, palette and the loop extension; the file appears on finish")
    func roundTrip() throws {
        let dir = try SharedMaterial.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        let path = dir.appendingPathComponent("a.gif").path
        let palette: [GIFWriter.Colour] = [(0, 0, 0), (255, 160, 0), (0, 140, 255)]
        let (w, h) = (7, 5)
        let frames: [[UInt8]] = (0..<4).map { k in (0..<(w * h)).map { UInt8(($0 + k) % 3) } }
        let gif = try GIFWriter(path: path, width: w, height: h, palette: palette)
        for (k, f) in frames.enumerated() { try gif.add(f, delay: 3 + k) }
        #expect(!FileManager.default.fileExists(atPath: path))
        try gif.finish()
        #expect(try FileManager.default.contentsOfDirectory(atPath: dir.path) == ["a.gif"])
        let decoded = try GIFTestDecoder([UInt8](Data(contentsOf: URL(fileURLWithPath: path))))
        #expect(decoded.width == w && decoded.height == h)
        #expect(decoded.loops == 0)
        #expect(decoded.palette.count == 4)
        #expect(decoded.palette.prefix(3).map { $0 } == palette.map { [$0.red, $0.green, $0.blue] })
        #expect(decoded.frames.count == 4)
        #expect(decoded.frames.map(\.delay) == [3, 4, 5, 6])
        #expect(decoded.frames.map(\.indices) == frames)
    }

    @Test("an abandoned writer leaves no file; sizes GIF cannot hold are refused")
    func abandoned() throws {
        let dir = try SharedMaterial.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        let path = dir.appendingPathComponent("b.gif").path
        do {
            let gif = try GIFWriter(path: path, width: 2, height: 2, palette: [(0, 0, 0), (9, 9, 9)])
            try gif.add([0, 1, 1, 0], delay: 10)
        }
        #expect(try FileManager.default.contentsOfDirectory(atPath: dir.path).isEmpty)
        #expect(throws: PictureWriteError.self) { try GIFWriter(path: path, width: 70_000, height: 2, palette: [(0, 0, 0)]) }
    }
}
