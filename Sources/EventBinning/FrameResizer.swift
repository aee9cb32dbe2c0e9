/// How frames are brought to the network's input size.
public enum ResizeMode: String, CaseIterable, Sendable {
    /// The official OTTT pipeline exactly: the uint8 wrap of ×255 counts and Pillow's premultiplied LA bilinear
    /// resize (see `PaperResize`). Values are bytes / 255 in [0, 1]. For comparing with the published numbers.
    case paper
    /// Area downsampling of the frames as they are (counts or binary occupancy). Values keep their meaning.
    case clean
}

import DVSEvents

/// Resizes frames [T, 2, H, W] to [T, 2, outH, outW].
public struct FrameResizer: Sendable {
    public let mode: ResizeMode
    public let outHeight: Int
    public let outWidth: Int
    /// The kernel for the input size given at init, built once: a stream's frames all have its sensor's size, and
    /// building the filter taps for every frame cost some 200 small allocations per bin.
    private let prepared: ResizeKernel?

    /// A resizer to `height`×`width`; `input`, when known, has its kernel built now rather than for every call.
    public init(mode: ResizeMode, height: Int, width: Int, input: SensorSize? = nil) {
        precondition(height > 0 && width > 0, "a resize target needs positive sizes, got \(height)×\(width)")
        self.mode = mode
        outHeight = height
        outWidth = width
        prepared = input.map {
            ResizeKernel(mode, ResizeShape(inHeight: $0.height, inWidth: $0.width, outHeight: height, outWidth: width))
        }
    }

    /// torchvision's `Resize(size)` with one number: the shorter side becomes `size`, the longer keeps the aspect
    /// ratio (truncated), as `_compute_resized_output_size` does.
    public init(mode: ResizeMode, shorterSide size: Int, height: Int, width: Int) {
        precondition(size > 0, "a resize target needs a positive size, got \(size)")
        if width <= height {
            self.init(mode: mode, height: Int(Double(size) * Double(height) / Double(width)), width: size,
                      input: SensorSize(width: width, height: height))
        } else {
            self.init(mode: mode, height: size, width: Int(Double(size) * Double(width) / Double(height)),
                      input: SensorSize(width: width, height: height))
        }
    }

    public func resize(_ frames: Frames) -> Frames {
        var out = Frames(count: frames.count, height: outHeight, width: outWidth)
        let shape = ResizeShape(inHeight: frames.height, inWidth: frames.width, outHeight: outHeight, outWidth: outWidth)
        let inFrame = frames.frameSize, outFrame = out.frameSize, outPlane = out.planeSize, inPlane = frames.planeSize
        let kernel = prepared.flatMap { $0.shape == shape ? $0 : nil } ?? ResizeKernel(mode, shape)
        frames.values.withUnsafeBufferPointer { src in
            out.values.withUnsafeMutableBufferPointer { dst in
                switch kernel {
                case .paper(let kernel):
                    var bytes = [UInt8](repeating: 0, count: outFrame)      // [2, outH, outW]
                    for t in 0..<frames.count {
                        bytes.withUnsafeMutableBufferPointer { kernel.resizeBytes(src.baseAddress! + t * inFrame, into: $0.baseAddress!) }
                        for i in 0..<outFrame { dst[t * outFrame + i] = Float(bytes[i]) / 255 }
                    }
                case .clean(let kernel):
                    withUnsafeTemporaryAllocation(of: Float.self, capacity: kernel.scratchCount) { tmp in
                        for plane in 0..<(frames.count * Frames.channels) {
                            kernel.resizePlane(src.baseAddress! + plane * inPlane, into: dst.baseAddress! + plane * outPlane,
                                               scratch: tmp.baseAddress!)
                        }
                    }
                }
            }
        }
        return out
    }
}

/// Input and output sizes of one resize.
struct ResizeShape: Equatable {
    let inHeight: Int, inWidth: Int, outHeight: Int, outWidth: Int
}

/// The filter of one resize mode, built for one shape.
enum ResizeKernel: Sendable {
    case paper(PaperResize)
    case clean(AreaResize)

    init(_ mode: ResizeMode, _ shape: ResizeShape) {
        switch mode {
        case .paper: self = .paper(PaperResize(shape))
        case .clean: self = .clean(AreaResize(shape))
        }
    }

    var shape: ResizeShape {
        switch self {
        case .paper(let k): k.shape
        case .clean(let k): k.shape
        }
    }
}
