/// Area (box) downsampling in Float: each output pixel is the mean of the source pixels it covers, partly covered
/// pixels weighted by the covered fraction (OpenCV's INTER_AREA). Applied to counts it gives event density per
/// source pixel; applied to binary frames it gives occupancy. The `clean` preprocessing mode.
struct AreaResize {
    let shape: ResizeShape
    private let rows: AreaWeights
    private let columns: AreaWeights

    init(_ shape: ResizeShape) {
        self.shape = shape
        rows = AreaWeights(inSize: shape.inHeight, outSize: shape.outHeight)
        columns = AreaWeights(inSize: shape.inWidth, outSize: shape.outWidth)
    }

    /// Floats of the scratch `resizePlane` needs: the plane resized along rows only, [inH, outW].
    var scratchCount: Int { shape.inHeight * shape.outWidth }

    /// One channel plane [inH, inW] → [outH, outW], through `tmp` [inH, outW] (`scratchCount` floats).
    func resizePlane(_ input: UnsafePointer<Float>, into output: UnsafeMutablePointer<Float>,
                     scratch tmp: UnsafeMutablePointer<Float>) {
        let (inHeight, inWidth, outHeight, outWidth) = (shape.inHeight, shape.inWidth, shape.outHeight, shape.outWidth)
        for r in 0..<inHeight {
            for o in 0..<outWidth {
                var s: Float = 0
                for (i, w) in columns.taps[o] { s += input[r * inWidth + i] * w }
                tmp[r * outWidth + o] = s
            }
        }
        for o in 0..<outHeight {
            for c in 0..<outWidth {
                var s: Float = 0
                for (i, w) in rows.taps[o] { s += tmp[i * outWidth + c] * w }
                output[o * outWidth + c] = s
            }
        }
    }
}

/// For each output index along one axis: the source indices it covers and their weights (summing to 1).
struct AreaWeights {
    let taps: [[(Int, Float)]]

    init(inSize: Int, outSize: Int) {
        precondition(inSize > 0 && outSize > 0, "resize needs positive sizes, got \(inSize) → \(outSize)")
        let scale = Double(inSize) / Double(outSize)
        taps = (0..<outSize).map { o in
            let lo = Double(o) * scale, hi = Double(o + 1) * scale
            var list: [(Int, Float)] = []
            var i = Int(lo.rounded(.down))
            while Double(i) < hi && i < inSize {
                let covered = min(hi, Double(i + 1)) - max(lo, Double(i))
                if covered > 1e-12 { list.append((i, Float(covered / scale))) }
                i += 1
            }
            return list
        }
    }
}
