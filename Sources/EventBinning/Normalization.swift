/// Per-channel normalisation x ↦ (x − mean[c]) / std[c], as torchvision's `Normalize`.
public struct ChannelNormalization: Sendable, Equatable {
    /// [OFF, ON]
    public var mean: (Float, Float)
    /// [OFF, ON]
    public var std: (Float, Float)

    public init(mean: (Float, Float), std: (Float, Float)) {
        precondition(std.0 > 0 && std.1 > 0, "standard deviations must be positive, got \(std)")
        self.mean = mean
        self.std = std
    }

    /// The OTTT CIFAR10-DVS constants, valid only for the `paper` resize mode.
    public static let paper = ChannelNormalization(mean: (0.2728, 0.1295), std: (0.2225, 0.1290))
    /// No change.
    public static let identity = ChannelNormalization(mean: (0, 0), std: (1, 1))

    /// Mean and (population) standard deviation of each channel over the given frames, for a `clean` preset.
    public static func measured(over samples: [Frames]) -> ChannelNormalization {
        var sum = [0.0, 0.0], squares = [0.0, 0.0], n = [0.0, 0.0]
        for f in samples {
            for t in 0..<f.count {
                for c in 0..<Frames.channels {
                    let base = (t * Frames.channels + c) * f.planeSize
                    for i in base..<(base + f.planeSize) {
                        let v = Double(f.values[i])
                        sum[c] += v; squares[c] += v * v; n[c] += 1
                    }
                }
            }
        }
        func stat(_ c: Int) -> (Float, Float) {
            guard n[c] > 0 else { return (0, 1) }
            let m = sum[c] / n[c]
            let s = (max(0, squares[c] / n[c] - m * m)).squareRoot()
            return (Float(m), Float(s > 0 ? s : 1))
        }
        let off = stat(0), on = stat(1)
        return ChannelNormalization(mean: (off.0, on.0), std: (off.1, on.1))
    }

    public func apply(_ frames: inout Frames) {
        let plane = frames.planeSize
        let means = [mean.0, mean.1], stds = [std.0, std.1]
        frames.values.withUnsafeMutableBufferPointer { v in
            for t in 0..<frames.count {
                for c in 0..<Frames.channels {
                    let base = (t * Frames.channels + c) * plane
                    let m = means[c], s = stds[c]
                    for i in base..<(base + plane) { v[i] = (v[i] - m) / s }
                }
            }
        }
    }

    public static func == (a: Self, b: Self) -> Bool {
        a.mean == b.mean && a.std == b.std
    }
}
