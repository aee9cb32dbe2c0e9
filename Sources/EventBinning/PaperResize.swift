/// The official OTTT pipeline's per-frame image path, reproduced bit for bit (docs/OTTT.md, "two quirks").
///
/// The code calls torchvision `ToPILImage()` then `Resize(48)` on each [2, H, W] float count frame:
/// 1. `ToPILImage` computes `pic.mul(255).byte()`: ×255 in Float32, then a cast to uint8 that wraps (through a
///    32-bit integer on x86), so a count k becomes 255·k mod 256 — 1 → 255, 2 → 254, 256 → 0. Two channels make a
///    mode "LA" image: L = channel 0 (OFF), A = channel 1 (ON).
/// 2. `Resize` calls Pillow's `Image.resize(size, BILINEAR)`. For "LA" Pillow resizes premultiplied
///    (`Image.resize`: `convert("La")`, resample, `convert("LA")`; libImaging Convert.c and Resample.c):
///    - premultiply (lA2la): L' = MULDIV255(L, A) = (t + (t >> 8)) >> 8 with t = L·A + 128;
///    - resample with the antialiased bilinear filter: for output i the source centre is (i + ½)·s with
///      s = in/out, the triangle filter's support is max(s, 1) source pixels, weights are normalised in double,
///      then rounded to 22-bit fixed point (`normalize_coeffs_8bpc`); each pass sums with a ½ rounding bias,
///      shifts right 22 and clips to 0…255; the horizontal pass runs first and its 8-bit result feeds the
///      vertical pass;
///    - unpremultiply (la2lA): L = L' when A is 0 or 255, else min(255, ⌊255·L' / A⌋).
///    An image that already has the target size is copied untouched (no premultiplication).
/// `ToTensor` then divides by 255. `tools/paper_resize_golden.py` runs real Pillow on the cases the tests embed.
struct PaperResize {
    let shape: ResizeShape
    private let horizontal: PillowBilinearKernel
    private let vertical: PillowBilinearKernel

    init(_ shape: ResizeShape) {
        self.shape = shape
        horizontal = PillowBilinearKernel(inSize: shape.inWidth, outSize: shape.outWidth)
        vertical = PillowBilinearKernel(inSize: shape.inHeight, outSize: shape.outHeight)
    }

    /// torchvision's ToPILImage cast of one count: ×255 in Float32, truncated through Int32, low 8 bits kept.
    @inline(__always)
    static func wrappedByte(_ v: Float) -> UInt8 {
        let scaled = v * 255
        guard scaled.isFinite, scaled > -2_147_483_648, scaled < 2_147_483_648 else { return 0 }
        return UInt8(truncatingIfNeeded: Int32(scaled))
    }

    /// Pillow's MULDIV255(a, b): a·b/255 rounded, in integers.
    @inline(__always)
    static func mulDiv255(_ a: Int, _ b: Int) -> Int {
        let t = a * b + 128
        return ((t >> 8) + t) >> 8
    }

    /// One frame [2, inH, inW] of counts to [2, outH, outW] of bytes as Pillow leaves them (L, A).
    func resizeBytes(_ frame: UnsafePointer<Float>, into out: UnsafeMutablePointer<UInt8>) {
        let (inHeight, inWidth, outHeight, outWidth) = (shape.inHeight, shape.inWidth, shape.outHeight, shape.outWidth)
        let inPlane = inHeight * inWidth, outPlane = outHeight * outWidth
        if inHeight == outHeight && inWidth == outWidth {
            for i in 0..<(2 * inPlane) { out[i] = PaperResize.wrappedByte(frame[i]) }
            return
        }
        // Scratch: la [2, inH, inW] premultiplied L then A; h [2, inH, outW] after the horizontal pass.
        let scratch = UnsafeMutablePointer<UInt8>.allocate(capacity: 2 * inPlane + 2 * inHeight * outWidth)
        defer { scratch.deallocate() }
        let l = scratch, a = scratch + inPlane, lh = scratch + 2 * inPlane, ah = lh + inHeight * outWidth
        for i in 0..<inPlane {
            let alpha = PaperResize.wrappedByte(frame[inPlane + i])
            a[i] = alpha
            l[i] = UInt8(PaperResize.mulDiv255(Int(PaperResize.wrappedByte(frame[i])), Int(alpha)))
        }
        // Horizontal pass [inH, inW] → [inH, outW], then vertical [inH, outW] → [outH, outW] (into `out`).
        horizontal.apply(l, rows: inHeight, into: lh)
        horizontal.apply(a, rows: inHeight, into: ah)
        vertical.applyVertically(lh, columns: outWidth, into: out)
        vertical.applyVertically(ah, columns: outWidth, into: out + outPlane)
        for i in 0..<outPlane {
            let alpha = Int(out[outPlane + i]), lum = Int(out[i])
            out[i] = alpha == 0 || alpha == 255 ? UInt8(lum) : UInt8(min(255, (255 * lum) / alpha))
        }
    }
}

/// Pillow's antialiased bilinear resampling along one axis, in its 8-bit fixed-point arithmetic.
struct PillowBilinearKernel {
    static let precisionBits = 32 - 8 - 2
    let inSize: Int, outSize: Int
    /// First source index of each output.
    let first: [Int]
    /// Weights of each output, `taps[o]` of them starting at `first[o]`, stored `maxTaps` apart.
    let weights: [Int32]
    let taps: [Int]
    let maxTaps: Int

    init(inSize: Int, outSize: Int) {
        precondition(inSize > 0 && outSize > 0, "resize needs positive sizes, got \(inSize) → \(outSize)")
        self.inSize = inSize
        self.outSize = outSize
        let scale = Double(Float(inSize) - Float(0)) / Double(outSize)  // Pillow passes the box edges as float
        let filterScale = max(scale, 1.0)
        let support = 1.0 * filterScale                                   // bilinear support 1
        maxTaps = Int(support.rounded(.up)) * 2 + 1
        var first = [Int](repeating: 0, count: outSize)
        var taps = [Int](repeating: 0, count: outSize)
        var weights = [Int32](repeating: 0, count: outSize * maxTaps)
        for o in 0..<outSize {
            let center = (Double(o) + 0.5) * scale
            let lo = max(0, Int(center - support + 0.5))              // C's (int) truncates toward zero
            let hi = min(inSize, Int(center + support + 0.5))
            var w = [Double](repeating: 0, count: max(0, hi - lo))
            var sum = 0.0
            let reciprocal = 1.0 / filterScale                          // Pillow multiplies by 1/filterscale
            for k in 0..<w.count {
                let x = abs((Double(k + lo) - center + 0.5) * reciprocal)
                w[k] = x < 1 ? 1 - x : 0
                sum += w[k]
            }
            for k in 0..<w.count {
                let v = sum != 0 ? w[k] / sum : w[k]
                let fixed = v * Double(1 << PillowBilinearKernel.precisionBits)
                weights[o * maxTaps + k] = Int32(fixed < 0 ? -0.5 + fixed : 0.5 + fixed)
            }
            first[o] = lo
            taps[o] = w.count
        }
        self.first = first
        self.taps = taps
        self.weights = weights
    }

    /// Pillow's clip8: drop the fraction bits, clamp to a byte.
    @inline(__always)
    static func clip8(_ sum: Int) -> UInt8 {
        UInt8(clamping: sum >> precisionBits)
    }

    /// Resamples each of `rows` rows of `input` [rows, inSize] into `output` [rows, outSize].
    func apply(_ input: UnsafePointer<UInt8>, rows: Int, into output: UnsafeMutablePointer<UInt8>) {
        first.withUnsafeBufferPointer { first in
        taps.withUnsafeBufferPointer { taps in
        weights.withUnsafeBufferPointer { weights in
            for r in 0..<rows {
                let row = input + r * inSize
                for o in 0..<outSize {
                    let src = row + first[o], w = weights.baseAddress! + o * maxTaps
                    var sum = 1 << (PillowBilinearKernel.precisionBits - 1)
                    for k in 0..<taps[o] { sum += Int(src[k]) * Int(w[k]) }
                    output[r * outSize + o] = PillowBilinearKernel.clip8(sum)
                }
            }
        } } }
    }

    /// Resamples each of `columns` columns of `input` [inSize, columns] into `output` [outSize, columns].
    func applyVertically(_ input: UnsafePointer<UInt8>, columns: Int, into output: UnsafeMutablePointer<UInt8>) {
        first.withUnsafeBufferPointer { first in
        taps.withUnsafeBufferPointer { taps in
        weights.withUnsafeBufferPointer { weights in
            for o in 0..<outSize {
                let src = input + first[o] * columns, w = weights.baseAddress! + o * maxTaps, n = taps[o]
                for c in 0..<columns {
                    var sum = 1 << (PillowBilinearKernel.precisionBits - 1)
                    for k in 0..<n { sum += Int(src[k * columns + c]) * Int(w[k]) }
                    output[o * columns + c] = PillowBilinearKernel.clip8(sum)
                }
            }
        } } }
    }
}
