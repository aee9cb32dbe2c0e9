import DVSEvents
import Pictures

/// Something the simulated camera looks at: a view that changes over a fixed duration.
public protocol Scene {
    /// The view's size in pixels (the sensor's).
    var size: SensorSize { get }
    /// How long the scene lasts, in µs from its start.
    var duration: Microseconds { get }
    /// Draws the view `t` µs after the scene starts (0 ≤ t ≤ duration) into `image`, whose size is `size`.
    func render(at t: Microseconds, into image: inout GrayImage)
}
