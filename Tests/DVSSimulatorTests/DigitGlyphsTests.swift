import Pictures
import Testing
@testable import DVSSimulator

@Suite("DigitGlyphs")
struct DigitGlyphsTests {
    func render(_ digit: Int) -> GrayImage {
        var image = GrayImage(width: 24, height: 32)
        let place = Affine2.translation(3, 3).after(.scaling(2.6, 2.6))
        image.stroke(DigitGlyphs.strokes(digit).map { $0.map(place.apply) }, width: 2.5, intensity: 1)
        return image
    }

    @Test("every glyph stays in its box")
    func inBox() {
        for d in 0...9 {
            for p in DigitGlyphs.strokes(d).joined() {
                #expect((0...DigitGlyphs.boxWidth).contains(p.x) && (0...DigitGlyphs.boxHeight).contains(p.y), "digit \(d): \(p)")
            }
        }
    }

    @Test("the ten glyphs differ from each other by many pixels")
    func distinct() {
        let images = (0...9).map(render)
        for a in 0...9 {
            #expect(images[a].mean > 0.08, "digit \(a) has ink")
            for b in 0..<a {
                let differing = zip(images[a].pixels, images[b].pixels).filter { abs($0 - $1) > 0.5 }.count
                #expect(differing >= 40, "digits \(a) and \(b) differ in only \(differing) pixels")
            }
        }
    }
}
