import DVSEvents
import Foundation
import Pictures

extension SyntheticTask {
    /// Direction of motion: a pattern of bright and dark blobs on a grey texture slides in one of 8 directions
    /// (classes 0–7: right, up-right, up, …, down-right, 45° apart) or turns clockwise (8) or anticlockwise (9).
    ///
    /// One frame of events cannot tell the classes apart: a bright blob moving right and a dark blob moving left
    /// make the same ON/OFF pair, as do bright blobs turning one way and dark blobs turning the other; the pattern
    /// tiles the plane, so position says nothing either. Only the change over time does.
    public static let motion = SyntheticTask(
        name: "motion",
        classNames: ["right", "up-right", "up", "up-left", "left", "down-left", "down", "down-right",
                     "clockwise", "anticlockwise"],
        defaultSize: SensorSize(width: 32, height: 32), fixedLabels: nil
    ) { _, label, size, duration, random in
        motionScene(label, size: size, duration: duration, random: &random)
    }

    static func motionScene(_ label: Int, size: SensorSize, duration: Microseconds,
                            random: inout SimulatorRandom) -> MotionScene {
        let unit = Double(min(size.width, size.height)) / 32
        let tile = blobTile(side: 2 * max(size.width, size.height), unit: unit, random: &random)
        let origin = Point2(random.uniform(0, Double(tile.width)), random.uniform(0, Double(tile.height)))
        let motion: MotionScene.Motion
        if label < 8 {
            let speed = random.uniform(60, 100) * unit  // pixels per second
            let angle = Double(label) * Double.pi / 4 + random.uniform(-8, 8) * Double.pi / 180
            motion = .translation(vx: speed * cos(angle), vy: -speed * sin(angle))  // y grows downwards
        } else {
            let omega = random.uniform(3.5, 5.0)  // rad/s: ~45–65 px/s at a 13-pixel radius
            motion = .rotation(radiansPerSecond: label == 8 ? omega : -omega)
        }
        return MotionScene(size: size, duration: duration, tile: tile, origin: origin, motion: motion)
    }

    /// A seamless square tile: a faint grey texture with blobs (discs and squares) each brighter or darker than
    /// the grey with equal chance, by the same log contrast either way (in log(I + ε), the pixel model's input), so
    /// that how many events an edge makes says nothing about which way the blob differs from the grey.
    static func blobTile(side: Int, unit: Double, random: inout SimulatorRandom) -> GrayImage {
        let cell = max(2, side / 8)
        let grey = 0.3, epsilon = Double(PixelParameters().logEpsilon)
        var tile = GrayImage.valueNoise(width: side, height: side, cell: cell, mean: Float(grey), amplitude: 0.03,
                                        periodic: true, random: &random)
        let blobs = Int((Double(side * side) / 200).rounded())
        for _ in 0..<blobs {
            let centre = Point2(random.uniform(0, Double(side)), random.uniform(0, Double(side)))
            let contrast = random.uniform(0.6, 1.0) * (random.bernoulli(0.5) ? 1 : -1)
            let intensity = (grey + epsilon) * exp(contrast) - epsilon
            tile.stampWrapped(centre: centre, radius: random.uniform(1.5, 3.0) * unit, square: random.bernoulli(0.5),
                              intensity: Float(intensity))
        }
        return tile
    }
}
