/// A stack of event frames: Float32 values laid out [T, C, H, W], contiguous, with C = 2 polarity channels.
///
/// Legend: T time steps (frames), C channels (0 = OFF, 1 = ON, as SpikingJelly and tonic order them), H rows (y),
/// W columns (x). Element (t, c, y, x) is at `((t * C + c) * H + y) * W + x`.
public struct Frames: Equatable, Sendable {
    /// Polarity channels per frame: 0 = OFF, 1 = ON.
    public static let channels = 2
    public static let offChannel = 0
    public static let onChannel = 1

    public let count: Int
    public let height: Int
    public let width: Int
    /// [T, 2, H, W]
    public var values: [Float]

    /// `count` frames of zeros.
    public init(count: Int, height: Int, width: Int) {
        precondition(count >= 0 && height > 0 && width > 0, "frames need T ≥ 0 and H, W > 0, got \(count)×\(height)×\(width)")
        self.count = count
        self.height = height
        self.width = width
        values = [Float](repeating: 0, count: count * Frames.channels * height * width)
    }

    /// Frames over existing values [T, 2, H, W].
    public init(count: Int, height: Int, width: Int, values: [Float]) {
        precondition(values.count == count * Frames.channels * height * width,
                     "\(values.count) values cannot be \(count)×2×\(height)×\(width) frames")
        self.count = count
        self.height = height
        self.width = width
        self.values = values
    }

    /// Values per channel plane (H·W).
    @inlinable public var planeSize: Int { height * width }
    /// Values per frame (2·H·W).
    @inlinable public var frameSize: Int { Frames.channels * height * width }

    @inlinable
    public subscript(t: Int, c: Int, y: Int, x: Int) -> Float {
        get { values[((t * Frames.channels + c) * height + y) * width + x] }
        set { values[((t * Frames.channels + c) * height + y) * width + x] = newValue }
    }

    /// The values of frame `t` [2, H, W].
    public func frame(_ t: Int) -> ArraySlice<Float> {
        precondition(t >= 0 && t < count, "frame \(t) out of range 0..<\(count)")
        return values[(t * frameSize)..<((t + 1) * frameSize)]
    }

    /// Sum of every value of one channel over all frames (event counts when the frames hold counts).
    public func total(channel c: Int) -> Double {
        var sum = 0.0
        for t in 0..<count {
            let base = (t * Frames.channels + c) * planeSize
            for i in base..<(base + planeSize) { sum += Double(values[i]) }
        }
        return sum
    }
}
