import DVSEvents
import Foundation
import Pictures

/// A still picture seen by a camera that makes saccades, as N-MNIST was recorded (Orchard et al., 2015: an ATIS
/// on a pan-tilt unit moved along three sides of a triangle, about 100 ms per saccade, in front of a monitor).
public struct SaccadeScene: Scene {
    public let size: SensorSize
    public let duration: Microseconds
    /// The picture; view pixel (x, y) at rest looks at world point (x + margin, y + margin).
    public let world: GrayImage
    public let margin: Double
    /// The camera offsets (pixels) at the start and end of each saccade: saccade k goes from path[k] to path[k+1].
    public let path: [Point2]

    public init(size: SensorSize, duration: Microseconds, world: GrayImage, margin: Double, path: [Point2]) {
        precondition(path.count >= 2, "a saccade path needs at least two points, got \(path.count)")
        precondition(duration > 0, "a scene lasts a positive time, got \(duration) µs")
        self.size = size
        self.duration = duration
        self.world = world
        self.margin = margin
        self.path = path
    }

    /// The camera offset at `t`: each saccade takes an equal share of the duration with a smooth (raised-cosine)
    /// velocity profile, starting and ending at rest.
    public func offset(at t: Microseconds) -> Point2 {
        let saccades = path.count - 1
        let phase = Double(min(max(t, 0), duration)) / Double(duration) * Double(saccades)
        let k = min(Int(phase), saccades - 1)
        let u = phase - Double(k)
        let eased = (1 - cos(Double.pi * u)) / 2
        let a = path[k], b = path[k + 1]
        return Point2(a.x + (b.x - a.x) * eased, a.y + (b.y - a.y) * eased)
    }

    public func render(at t: Microseconds, into image: inout GrayImage) {
        let o = offset(at: t)
        world.resample(into: &image, map: .translation(margin + o.x, margin + o.y), wrapped: false)
    }

    /// N-MNIST's three saccades: down and right, up and right, then back left to the start, each leg about
    /// `amplitude` pixels, with the triangle's corners jittered by up to a fifth of that.
    public static func trianglePath(amplitude: Double, random: inout SimulatorRandom) -> [Point2] {
        func jitter() -> Double { random.uniform(-0.2, 0.2) * amplitude }
        let a = Point2(0, 0)
        let b = Point2(amplitude * 0.5 + jitter(), amplitude + jitter())
        let c = Point2(amplitude + jitter(), jitter())
        return [a, b, c, a]
    }

    /// A user's picture fitted into the view (keeping its aspect ratio; around it, its mean
    /// intensity) and seen
    /// through three saccades of about `amplitude` pixels.
    public static func picture(_ picture: GrayImage, size: SensorSize, duration: Microseconds, amplitude: Double,
                               random: inout SimulatorRandom) -> SaccadeScene {
        let scale = min(Double(size.width) / Double(picture.width), Double(size.height) / Double(picture.height))
        let w = max(1, Int((Double(picture.width) * scale).rounded()))
        let h = max(1, Int((Double(picture.height) * scale).rounded()))
        let fitted = picture.resized(width: w, height: h)
        let margin = (amplitude * 1.5).rounded(.up) + 1
        let m = Int(margin)
        var world = GrayImage(width: size.width + 2 * m, height: size.height + 2 * m, value: fitted.mean)
        let left = m + (size.width - w) / 2, top = m + (size.height - h) / 2
        for y in 0..<h {
            for x in 0..<w { world[left + x, top + y] = fitted[x, y] }
        }
        return SaccadeScene(size: size, duration: duration, world: world, margin: margin,
                            path: trianglePath(amplitude: amplitude, random: &random))
    }
}
