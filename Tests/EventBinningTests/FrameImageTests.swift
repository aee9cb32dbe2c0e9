import Testing
import Foundation
import TestSupport
import Pictures
@testable import EventBinning

@Suite("Frame images")
struct FrameImageTests {
    @Test("frames draw ON and OFF in two colours on black, and write to disk")
    func frameImage() throws {
        var f = Frames(count: 1, height: 2, width: 2)
        f[0, 1, 0, 0] = 2
        f[0, 0, 1, 1] = 1
        let img = f.image(0, magnify: 2)
        #expect(img.width == 4 && img.height == 4)
        #expect(Array(img.rgb[0..<3]) == [255, 158, 0])                   // ON at full scale
        let offPixel = ((3 * 4) + 3) * 3
        #expect(Array(img.rgb[offPixel..<(offPixel + 3)]) == [0, 70, 128])   // OFF at half scale
        #expect(Array(img.rgb[6..<9]) == [0, 0, 0])
        let dir = try SharedMaterial.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        let path = dir.appendingPathComponent("f.png").path
        try img.write(to: path)
        #expect(FileManager.default.fileExists(atPath: path))
        #expect(throws: PictureWriteError.self) { try img.write(to: dir.appendingPathComponent("no/such/dir/f.png").path) }
    }

    @Test("writePNGs names frames in order and writes one file each")
    func writeAll() throws {
        let dir = try SharedMaterial.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        var f = Frames(count: 3, height: 2, width: 2)
        f[2, 1, 1, 1] = 5
        let paths = try f.writePNGs(to: dir.path)
        #expect(paths.map { ($0 as NSString).lastPathComponent } == ["frame_000.png", "frame_001.png", "frame_002.png"])
        let last = try Data(contentsOf: URL(fileURLWithPath: paths[2]))
        #expect(Array(last.prefix(8)) == PNGPicture.signature)
    }
}

@Suite("Frame display scale")
struct DisplayScaleTests {
    @Test("the 99th percentile of positive values, so one hot pixel does not darken the rest; 1 when empty")
    func scale() {
        var f = Frames(count: 1, height: 10, width: 10)
        #expect(f.displayScale == 1)
        for i in 0..<199 { f.values[i] = 2 }
        f.values[199] = 1000
        #expect(f.displayScale == 2)
        f.values[0] = .nan
        f.values[1] = -.infinity
        #expect(Array(f.image(0, scale: 2).rgb[0..<6]) == [255, 158, 0, 255, 158, 0])   // NaN and −∞ OFF add nothing to ON
    }
}
