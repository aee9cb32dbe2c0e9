/// How frames are brought to the network's input size.
public enum ResizeMode: String, CaseIterable, Sendable {
    /// The official OTTT pipeline exactly: the uint8 wrap of ×255 counts and Pillow's premultiplied LA bilinear
    /// resize (see `PaperResize`). Values are bytes / 255 in [0, 1]. For comparing with the published numbers.
    case paper
    /// Area downsampling of the frames as they are (counts or binary occupancy). Values keep their meaning.
    case clean
}

/// Resizes frames [T, 2, H, W] to [T, 2, outH, outW].
public struct FrameResizer: Sendable {
    public let mode: ResizeMode
    public let outHeight: Int
    public let outWidth: Int

    public init(mode: ResizeMode, height: Int, width: Int) {
        precondition(height > 0 && width > 0, "a resize target needs positive sizes, got \(height)×\(width)")
        self.mode = mode
        outHeight = height
        outWidth = width
    }

    /// torchvision's `Resize(size)` with one number: the shorter side becomes `size`, the longer keeps the aspect
    /// ratio (truncated), as `_compute_resized_output_size` does.
    public init(mode: ResizeMode, shorterSide size: Int, height: Int, width: Int) {
        precondition(size > 0, "a resize target needs a positive size, got \(size)")
        if width <= height {
            self.init(mode: mode, height: Int(Double(size) * Double(height) / Double(width)), width: size)
        } else {
            self.init(mode: mode, height: size, width: Int(Double(size) * Double(width) / Double(height)))
        }
    }

    public func resize(_ frames: Frames) -> Frames {
        var out = Frames(count: frames.count, height: outHeight, width: outWidth)
        let shape = ResizeShape(inHeight: frames.height, inWidth: frames.width, outHeight: outHeight, outWidth: outWidth)
        let inFrame = frames.frameSize, outFrame = out.frameSize, outPlane = out.planeSize, inPlane = frames.planeSize
        frames.values.withUnsafeBufferPointer { src in
            out.values.withUnsafeMutableBufferPointer { dst in
                switch mode {
                case .paper:
                    let kernel = PaperResize(shape)
                    var bytes = [UInt8](repeating: 0, count: outFrame)      // [2, outH, outW]
                    for t in 0..<frames.count {
                        bytes.withUnsafeMutableBufferPointer { kernel.resizeBytes(src.baseAddress! + t * inFrame, into: $0.baseAddress!) }
                        for i in 0..<outFrame { dst[t * outFrame + i] = Float(bytes[i]) / 255 }
                    }
                case .clean:
                    let kernel = AreaResize(shape)
                    for plane in 0..<(frames.count * Frames.channels) {
                        kernel.resizePlane(src.baseAddress! + plane * inPlane, into: dst.baseAddress! + plane * outPlane)
                    }
                }
            }
        }
        return out
    }
}

/// Input and output sizes of one resize.
struct ResizeShape {
    let inHeight: Int, inWidth: Int, outHeight: Int, outWidth: Int
}
