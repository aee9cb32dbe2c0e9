import Pictures

extension Frames {
    /// Colours for drawing frames: ON and OFF added on a black background.
    public static let onColour: (Float, Float, Float) = (1.0, 0.62, 0.0)     // orange
    public static let offColour: (Float, Float, Float) = (0.0, 0.55, 1.0)   // blue

    /// Frame `t` as an RGB picture: each channel's value divided by `scale` (clipped to 1) tints its colour;
    /// where both polarities fired the colours add up. `scale` nil uses the largest value over all frames, so
    /// that frames of one recording share a brightness scale.
    public func image(_ t: Int, scale: Float? = nil, magnify: Int = 1) -> PNGImage {
        precondition(t >= 0 && t < count, "frame \(t) out of range 0..<\(count)")
        precondition(magnify >= 1, "magnify must be at least 1, got \(magnify)")
        let s = scale ?? Swift.max(values.max() ?? 0, Float.leastNormalMagnitude)
        let w = width * magnify, h = height * magnify
        var rgb = [UInt8](repeating: 0, count: w * h * 3)
        let off = (t * Frames.channels + Frames.offChannel) * planeSize
        let on = (t * Frames.channels + Frames.onChannel) * planeSize
        for y in 0..<h {
            for x in 0..<w {
                let i = (y / magnify) * width + x / magnify
                let a = FrameImage.unit(values[off + i] / s), b = FrameImage.unit(values[on + i] / s)
                let o = (y * w + x) * 3
                rgb[o] = UInt8(Swift.min(255, (a * Frames.offColour.0 + b * Frames.onColour.0) * 255).rounded())
                rgb[o + 1] = UInt8(Swift.min(255, (a * Frames.offColour.1 + b * Frames.onColour.1) * 255).rounded())
                rgb[o + 2] = UInt8(Swift.min(255, (a * Frames.offColour.2 + b * Frames.onColour.2) * 255).rounded())
            }
        }
        return PNGImage(width: w, height: h, rgb: rgb)
    }
}

extension Frames {
    /// A brightness scale for drawing: the 99th percentile of the positive values (so that a few hot pixels do not
    /// leave every other pixel dark), or 1 when nothing is positive.
    public var displayScale: Float {
        var positive = values.filter { $0 > 0 }
        guard !positive.isEmpty else { return 1 }
        let k = Swift.min(positive.count - 1, Int(Double(positive.count) * 0.99))
        positive.sort()
        return positive[k]
    }

    /// Writes every frame as `<prefix><t>.png` (t zero-padded, so that the names sort), or `<prefix><t>_<suffix>.png`
    /// with `suffixes` (one per frame, e.g. its time range), into `directory`, which must exist, all on one
    /// brightness scale (`displayScale`). Returns the paths written.
    public func writePNGs(to directory: String, prefix: String = "frame_", magnify: Int = 1,
                          suffixes: [String]? = nil) throws(PictureWriteError) -> [String] {
        precondition(suffixes == nil || suffixes?.count == count, "\(suffixes?.count ?? 0) suffixes for \(count) frames")
        let digits = Swift.max(3, String(Swift.max(0, count - 1)).count)
        let scale = displayScale
        var paths: [String] = []
        for t in 0..<count {
            let number = String(t)
            let name = prefix + String(repeating: "0", count: Swift.max(0, digits - number.count)) + number
                + (suffixes.map { "_" + $0[t] } ?? "") + ".png"
            let path = directory.hasSuffix("/") ? directory + name : directory + "/" + name
            try image(t, scale: scale, magnify: magnify).write(to: path)
            paths.append(path)
        }
        return paths
    }
}

enum FrameImage {
    /// Clamps to 0…1, with NaN as 0.
    @inline(__always)
    static func unit(_ v: Float) -> Float { v.isNaN ? 0 : Swift.min(1, Swift.max(0, v)) }
}
