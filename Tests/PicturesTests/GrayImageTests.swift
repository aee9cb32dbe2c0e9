import Foundation
import Testing
@testable import Pictures

@Suite("GrayImage")
struct GrayImageTests {
    /// A 6×5 ramp with distinct values.
    let ramp = GrayImage(width: 6, height: 5, pixels: (0..<30).map { Float($0) / 29 })

    @Test("bilinear samples blend the four neighbours; outside, edges repeat or the image wraps")
    func sampling() {
        #expect(ramp.sample(x: 2, y: 3) == ramp[2, 3])
        let mid = (ramp[1, 1] + ramp[2, 1] + ramp[1, 2] + ramp[2, 2]) / 4
        #expect(abs(ramp.sample(x: 1.5, y: 1.5) - mid) < 1e-6)
        #expect(ramp.sample(x: -3, y: 10) == ramp[0, 4])
        #expect(abs(ramp.sampleWrapped(x: 5.5, y: 0) - (ramp[5, 0] + ramp[0, 0]) / 2) < 1e-6)
        #expect(ramp.sampleWrapped(x: -1, y: -1) == ramp[5, 4])
    }

    @Test("shrinking keeps the mean; a constant image stays constant")
    func resized() {
        // A texture with detail at several scales (no randomness needed for a mean to compare).
        let pixels = (0..<1600).map { i -> Float in
            let x = Float(i % 40), y = Float(i / 40)
            return 0.5 + 0.2 * sin(x * 0.7) * cos(y * 0.45) + 0.1 * sin((x + y) * 2.1)
        }
        let texture = GrayImage(width: 40, height: 40, pixels: pixels)
        let small = texture.resized(width: 10, height: 10)
        #expect(abs(small.mean - texture.mean) < 0.01, "\(small.mean) against \(texture.mean)")
        #expect(GrayImage(width: 3, height: 3, value: 0.7).resized(width: 8, height: 5).pixels.allSatisfy { abs($0 - 0.7) < 1e-6 })
    }

    @Test("wrap takes any index, negative too, into 0..<n", arguments: [(-7, 5, 3), (-5, 5, 0), (-1, 5, 4), (0, 5, 0), (12, 5, 2)])
    func wrap(i: Int, n: Int, expected: Int) {
        #expect(GrayImage.wrap(i, n) == expected)
    }
}
