import Pictures
import Testing
@testable import DVSSimulator

/// The scene renderer's drawing on grey images: resampling through a map, value noise, strokes and stamps.
@Suite("GrayImage drawing")
struct GrayImageDrawingTests {
    /// A 6×5 ramp with distinct values.
    let ramp = GrayImage(width: 6, height: 5, pixels: (0..<30).map { Float($0) / 29 })

    @Test("resampling through a translation (one set of weights) or any map agrees with sampling pixel by pixel",
          arguments: [false, true])
    func resample(wrapped: Bool) {
        let maps: [Affine2] = [.translation(1.25, -0.5), .translation(-7.75, 3.5),
                               Affine2.translation(2, 2).after(.rotation(0.3)).after(.translation(-2, -2))]
        for map in maps {
            var out = GrayImage(width: 4, height: 7)
            ramp.resample(into: &out, map: map, wrapped: wrapped)
            for y in 0..<7 {
                for x in 0..<4 {
                    let p = map.apply(Point2(Double(x), Double(y)))
                    let expected = wrapped ? ramp.sampleWrapped(x: p.x, y: p.y) : ramp.sample(x: p.x, y: p.y)
                    #expect(abs(out[x, y] - expected) < 1e-6, "map \(map) at (\(x), \(y))")
                }
            }
        }
    }

    @Test("value noise keeps its mean when shrunk")
    func noiseShrinks() {
        var random = SimulatorRandom(seed: 2)
        let noise = GrayImage.valueNoise(width: 40, height: 40, cell: 5, mean: 0.5, amplitude: 0.3, periodic: false,
                                         random: &random)
        #expect(abs(noise.resized(width: 10, height: 10).mean - noise.mean) < 0.01)
    }

    @Test("periodic value noise tiles seamlessly and stays within mean ± amplitude")
    func periodicNoise() {
        var random = SimulatorRandom(seed: 3)
        let tile = GrayImage.valueNoise(width: 48, height: 48, cell: 6, mean: 0.4, amplitude: 0.1, periodic: true,
                                        random: &random)
        #expect(tile.pixels.allSatisfy { $0 >= 0.3 - 1e-6 && $0 <= 0.5 + 1e-6 })
        // Across the seam neighbours differ no more than neighbours inside the tile do.
        var inside: Float = 0, seam: Float = 0
        for y in 0..<48 {
            seam = max(seam, abs(tile[47, y] - tile[0, y]), abs(tile[y, 47] - tile[y, 0]))
            for x in 1..<48 { inside = max(inside, abs(tile[x, y] - tile[x - 1, y])) }
        }
        #expect(seam <= inside * 1.5, "seam step \(seam), largest step inside \(inside)")
    }

    @Test("strokes and wrapped stamps paint with anti-aliased edges")
    func drawing() {
        var image = GrayImage(width: 10, height: 10)
        image.stroke([[Point2(2, 5), Point2(7, 5)]], width: 1.5, intensity: 1)  // coverage 1.25 − distance
        #expect(image[4, 5] == 1 && image[4, 3] == 0)
        #expect(abs(image[4, 4] - 0.25) < 1e-6, "partly covered pixel: \(image[4, 4])")
        var tile = GrayImage(width: 8, height: 8)
        tile.stampWrapped(centre: Point2(0, 0), radius: 1.5, square: true, intensity: 1)
        #expect(tile[0, 0] == 1 && tile[7, 7] == 1 && tile[1, 7] == 1)
        #expect(tile[4, 4] == 0)
    }
}
