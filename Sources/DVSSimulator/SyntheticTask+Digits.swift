import DVSEvents
import Foundation
import Pictures

extension SyntheticTask {
    /// N-MNIST-like digits: a glyph of the built-in font with random affine jitter (scale, aspect, rotation, shear,
    /// shift, pen width, brightness) on a dim textured background, seen through three saccades.
    public static let digits = SyntheticTask(
        name: "digits", classNames: (0...9).map(String.init),
        defaultSize: SensorSize(width: 32, height: 32), fixedLabels: nil
    ) { _, label, size, duration, random in
        digitScene(label, size: size, duration: duration, random: &random)
    }

    static func digitScene(_ digit: Int, size: SensorSize, duration: Microseconds,
                           random: inout SimulatorRandom) -> SaccadeScene {
        let unit = Double(min(size.width, size.height)) / 32  // the jitter ranges are set for a 32×32 view
        let amplitude = 3 * unit * random.uniform(0.8, 1.2)
        let margin = (amplitude * 1.5).rounded(.up) + 1
        let m = Int(margin)
        // Background: smooth low-contrast texture.
        var world = GrayImage.valueNoise(width: size.width + 2 * m, height: size.height + 2 * m,
                                         cell: max(3, Int(5 * unit)), mean: Float(random.uniform(0.15, 0.25)),
                                         amplitude: 0.05, periodic: false, random: &random)
        // Glyph: box → centred, sheared, rotated, scaled and shifted into the world.
        let height = 20 * unit * random.uniform(0.85, 1.12)
        let scale = height / DigitGlyphs.boxHeight
        let aspect = random.uniform(0.85, 1.15)
        let centre = Point2(margin + Double(size.width - 1) / 2 + random.uniform(-2, 2) * unit,
                            margin + Double(size.height - 1) / 2 + random.uniform(-2, 2) * unit)
        let placement = Affine2.translation(centre.x, centre.y)
            .after(.rotation(random.uniform(-12, 12) * Double.pi / 180))
            .after(.shear(random.uniform(-0.15, 0.15)))
            .after(.scaling(scale * aspect, scale))
            .after(.translation(-DigitGlyphs.boxWidth / 2, -DigitGlyphs.boxHeight / 2))
        let strokes = DigitGlyphs.strokes(digit).map { $0.map(placement.apply) }
        world.stroke(strokes, width: height * random.uniform(0.10, 0.14), intensity: Float(random.uniform(0.75, 0.95)))
        return SaccadeScene(size: size, duration: duration, world: world, margin: margin,
                            path: SaccadeScene.trianglePath(amplitude: amplitude, random: &random))
    }
}
