import Testing
import DVSEvents
@testable import EventBinning

/// The counts of `tools/paper_resize_golden.py`: a 64-bit LCG drawn over [channel][y][x].
func goldenCounts(seed: UInt64, height: Int, width: Int, modulus: UInt64, zeroPercent: UInt64) -> Frames {
    var state = seed
    var f = Frames(count: 1, height: height, width: width)
    for c in 0..<2 {
        for y in 0..<height {
            for x in 0..<width {
                state = state &* 6364136223846793005 &+ 1442695040888963407
                let r = state >> 33
                f[0, c, y, x] = r % 100 < zeroPercent ? 0 : Float((r >> 8) % modulus)
            }
        }
    }
    return f
}

func fnv1a(_ bytes: [UInt8]) -> UInt64 {
    var h: UInt64 = 0xcbf29ce484222325
    for b in bytes { h = (h ^ UInt64(b)) &* 0x100000001b3 }
    return h
}

@Suite("FrameResizer")
struct FrameResizerTests {
    @Test("paper mode matches Pillow 13 + torchvision byte for byte (12×12 → 5×5, tools/paper_resize_golden.py)")
    func paperSmallGolden() {
        let frame = goldenCounts(seed: 7, height: 12, width: 12, modulus: 4, zeroPercent: 50)
        let out = FrameResizer(mode: .paper, height: 5, width: 5).resize(frame)
        let bytes = out.values.map { UInt8(($0 * 255).rounded()) }
        let l: [UInt8] = [48, 121, 87, 77, 242, 31, 131, 109, 108, 67, 107, 66, 112, 96, 56, 136, 128, 45, 0, 40, 51,
                          112, 48, 0, 0]
        let a: [UInt8] = [111, 180, 131, 115, 106, 72, 145, 63, 82, 125, 109, 61, 77, 82, 103, 136, 115, 134, 132,
                          138, 129, 120, 89, 94, 62]
        #expect(Array(bytes[0..<25]) == l)
        #expect(Array(bytes[25..<50]) == a)
        #expect(out.values.allSatisfy { v in v == Float(UInt8((v * 255).rounded())) / 255 })   // exactly byte/255
    }

    @Test("paper mode matches Pillow on a sparse 128×128 → 48×48 frame (sums and FNV-1a of the bytes)")
    func paperLargeGolden() {
        let frame = goldenCounts(seed: 2022, height: 128, width: 128, modulus: 3, zeroPercent: 90)
        let out = FrameResizer(mode: .paper, height: 48, width: 48).resize(frame)
        let bytes = out.values.map { UInt8(($0 * 255).rounded()) }
        #expect(bytes[0..<2304].reduce(0) { $0 + Int($1) } == 36221)
        #expect(bytes[2304...].reduce(0) { $0 + Int($1) } == 37854)
        #expect(fnv1a(bytes) == 0x685d46ac82e48bc0)
    }

    @Test("the ×255 uint8 wrap: 1 → 255, 2 → 254, 10 → 246, 256 → 0 (docs/OTTT.md quirk 1)", arguments: [
        (Float(0), UInt8(0)), (1, 255), (2, 254), (10, 246), (256, 0), (257, 255),
    ])
    func wrap(count: Float, byte: UInt8) {
        #expect(PaperResize.wrappedByte(count) == byte)
    }

    @Test("same size in paper mode only wraps (Pillow copies an image already at the target size)")
    func paperSameSize() {
        var f = Frames(count: 1, height: 4, width: 4)
        f[0, 0, 1, 1] = 2; f[0, 1, 2, 2] = 1
        let out = FrameResizer(mode: .paper, height: 4, width: 4).resize(f)
        #expect(out[0, 0, 1, 1] == Float(254) / 255 && out[0, 1, 2, 2] == 1 && out.values.reduce(0, +) > 1.99)
    }

    @Test("paper mode erases OFF where there is no ON nearby (premultiplied alpha, docs/OTTT.md quirk 2)")
    func premultiplied() {
        var f = Frames(count: 1, height: 8, width: 8)
        for y in 0..<8 { for x in 0..<4 { f[0, 0, y, x] = 1 } }        // OFF events on the left half, no ON at all
        let out = FrameResizer(mode: .paper, height: 4, width: 4).resize(f)
        #expect(out.values.allSatisfy { $0 == 0 })
    }

    @Test("clean mode averages areas: a 128 → 48 resize keeps the mean count")
    func cleanArea() {
        let frame = goldenCounts(seed: 3, height: 128, width: 128, modulus: 5, zeroPercent: 30)
        let out = FrameResizer(mode: .clean, height: 48, width: 48).resize(frame)
        for c in 0..<2 {
            let before = frame.total(channel: c) / Double(128 * 128), after = out.total(channel: c) / Double(48 * 48)
            #expect(abs(before - after) < 1e-4 * before)
        }
        var block = Frames(count: 1, height: 4, width: 4)
        block[0, 1, 0, 0] = 4; block[0, 1, 0, 1] = 0; block[0, 1, 1, 0] = 2; block[0, 1, 1, 1] = 2
        let half = FrameResizer(mode: .clean, height: 2, width: 2).resize(block)
        #expect(half[0, 1, 0, 0] == 2 && half[0, 1, 1, 1] == 0)
    }

    @Test("a kernel built at init for the input size gives the same frames, and frames of another size still resize",
          arguments: ResizeMode.allCases)
    func prepared(mode: ResizeMode) {
        let frame = goldenCounts(seed: 5, height: 128, width: 128, modulus: 4, zeroPercent: 60)
        let other = goldenCounts(seed: 6, height: 64, width: 96, modulus: 4, zeroPercent: 60)
        let plain = FrameResizer(mode: mode, height: 48, width: 48)
        let built = FrameResizer(mode: mode, height: 48, width: 48, input: .dvs128)
        #expect(built.resize(frame).values == plain.resize(frame).values)
        let resized = built.resize(other)
        #expect(resized.height == 48 && resized.width == 48)
        #expect(resized.values == plain.resize(other).values)
    }

    @Test("Resize(size) keeps the aspect ratio on the shorter side, as torchvision does")
    func shorterSide() {
        let r = FrameResizer(mode: .clean, shorterSide: 48, height: 180, width: 240)
        #expect(r.outHeight == 48 && r.outWidth == 64)
        let s = FrameResizer(mode: .clean, shorterSide: 48, height: 128, width: 128)
        #expect(s.outHeight == 48 && s.outWidth == 48)
    }
}
