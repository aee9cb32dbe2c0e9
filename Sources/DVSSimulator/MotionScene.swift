import DVSEvents
import Pictures

/// A periodic pattern sliding or turning behind the view. The pattern tiles the plane, so where it sits at any
/// moment says nothing about how it moves: only the change over time does.
public struct MotionScene: Scene {
    public enum Motion: Sendable, Equatable {
        /// The pattern moves with velocity (vx, vy) in pixels per second (y down).
        case translation(vx: Double, vy: Double)
        /// The pattern turns about the view's centre at `radiansPerSecond`, clockwise on screen when positive.
        case rotation(radiansPerSecond: Double)
    }

    public let size: SensorSize
    public let duration: Microseconds
    /// One period of the pattern.
    public let tile: GrayImage
    /// Where in the tile the view's top-left pixel looks at t = 0.
    public let origin: Point2
    public let motion: Motion

    public init(size: SensorSize, duration: Microseconds, tile: GrayImage, origin: Point2, motion: Motion) {
        precondition(duration > 0, "a scene lasts a positive time, got \(duration) µs")
        self.size = size
        self.duration = duration
        self.tile = tile
        self.origin = origin
        self.motion = motion
    }

    /// The map from a view pixel to the tile point it sees at `t`.
    public func viewToTile(at t: Microseconds) -> Affine2 {
        let seconds = Double(t) * 1e-6
        switch motion {
        case let .translation(vx, vy):
            // A pattern moving by v brings to view point p what was at p − v·t.
            return .translation(origin.x - vx * seconds, origin.y - vy * seconds)
        case let .rotation(omega):
            // A pattern turned by θ about c brings to p what was at c + R(−θ)(p − c).
            let cx = Double(size.width - 1) / 2, cy = Double(size.height - 1) / 2
            return Affine2.translation(origin.x + cx, origin.y + cy)
                .after(.rotation(-omega * seconds))
                .after(.translation(-cx, -cy))
        }
    }

    public func render(at t: Microseconds, into image: inout GrayImage) {
        tile.resample(into: &image, map: viewToTile(at: t), wrapped: true)
    }
}
