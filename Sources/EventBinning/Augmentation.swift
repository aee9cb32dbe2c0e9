/// Training-time augmentation of one sample's frames: zero padding then a crop, and a horizontal flip, with the
/// same choice for every frame of the sample (OTTT pads 4 and crops 48 at one offset for all T frames; no flip).
public struct Augmentation: Sendable, Equatable {
    /// Zeros added on each side before cropping back to the input size.
    public var padding: Int
    /// Probability of mirroring left–right.
    public var flipProbability: Double

    public init(padding: Int = 0, flipProbability: Double = 0) {
        precondition(padding >= 0, "padding cannot be negative, got \(padding)")
        precondition((0...1).contains(flipProbability), "a flip probability lies in 0…1, got \(flipProbability)")
        self.padding = padding
        self.flipProbability = flipProbability
    }

    /// The paper's CIFAR10-DVS training augmentation: pad 4, random crop, no flip.
    public static let paper = Augmentation(padding: 4, flipProbability: 0)
    public static let none = Augmentation()

    /// One draw of the random choices: crop offsets in 0…2·padding and whether to flip.
    public struct Draw: Sendable, Equatable {
        public var dx: Int, dy: Int, flip: Bool
        public init(dx: Int, dy: Int, flip: Bool) { self.dx = dx; self.dy = dy; self.flip = flip }
    }

    public func draw(using rng: inout some RandomNumberGenerator) -> Draw {
        let dy = Int.random(in: 0...(2 * padding), using: &rng)
        let dx = Int.random(in: 0...(2 * padding), using: &rng)
        let flip = flipProbability > 0 && Double.random(in: 0..<1, using: &rng) < flipProbability
        return Draw(dx: dx, dy: dy, flip: flip)
    }

    public func apply(_ frames: Frames, using rng: inout some RandomNumberGenerator) -> Frames {
        apply(frames, draw(using: &rng))
    }

    /// Crops the padded frames at (dx, dy) (a window of the input size whose top-left sits at (dx − padding,
    /// dy − padding) of the original), then mirrors x when asked.
    public func apply(_ frames: Frames, _ d: Draw) -> Frames {
        precondition((0...(2 * padding)).contains(d.dx) && (0...(2 * padding)).contains(d.dy),
                     "crop offset (\(d.dx), \(d.dy)) outside 0…\(2 * padding)")
        if d.dx == padding && d.dy == padding && !d.flip { return frames }
        let h = frames.height, w = frames.width
        var out = Frames(count: frames.count, height: h, width: w)
        for plane in 0..<(frames.count * Frames.channels) {
            let base = plane * h * w
            for y in 0..<h {
                let sy = y + d.dy - padding
                guard sy >= 0 && sy < h else { continue }
                for x in 0..<w {
                    let sx = x + d.dx - padding
                    guard sx >= 0 && sx < w else { continue }
                    out.values[base + y * w + (d.flip ? w - 1 - x : x)] = frames.values[base + sy * w + sx]
                }
            }
        }
        return out
    }
}
