/// The forward convolution for mostly-zero inputs (spikes): each nonzero input scatters through the kernel.
///
///     y[b, :, iy+1−ky, ix+1−kx] += x[b,c,iy,ix] · Wᵀ[(c·3 + ky)·3 + kx, :]      for every x[b,c,iy,ix] ≠ 0
///
/// Work is proportional to the number of nonzero inputs (9·Co multiply-adds each) instead of Ci·9·Co·P per sample,
/// so it pays below a density of roughly 1/5 (`Convolution.sparseDensityLimit`, measured with
/// `ottt bench train`). Same sums as `forward`, in another order (results agree to float rounding).
/// Only for 3×3 kernels, stride 1, padding 1.
extension Convolution {
    /// Inputs denser than this go through im2col + GEMM.
    public static let sparseDensityLimit: Float = 0.2

    /// Whether `forwardSparse` applies to this geometry.
    public var supportsSparse: Bool { kernel == 3 && stride == 1 && padding == 1 }

    /// y[B,Co,H,W] = conv(x, W) + bias, from Wᵀ [K, Co] (`transposedWeight`), skipping zero inputs.
    public func forwardSparse(_ x: Tensor, transposedWeight wt: Tensor, bias: Tensor, into y: Tensor) {
        precondition(supportsSparse, "sparse convolution needs k 3, stride 1, padding 1 (have k \(kernel) s \(stride) p \(padding))")
        let b = checkInput(x)
        precondition(y.count == b * outChannels * positions && wt.count == outChannels * fieldSize, "sparse conv shapes")
        prepare(batch: b)
        let co = outChannels, P = positions, sampleSize = inChannels * height * width
        let acc = matrix.data                                    // [P, Co] for one sample
        // Two threads, each owning half of the output channels (disjoint columns of the accumulator).
        let parts = co >= 64 && sampleSize >= 4096 ? 2 : 1
        for s in 0..<b {
            for p in 0..<P { (acc + p * co).update(from: bias.data, count: co) }
            let sample = x.data + s * sampleSize
            Parallel.run(parts: parts) { part in
                let first = part * (co / parts), width = part == parts - 1 ? co - first : co / parts
                scatter(sample, transposedWeight: wt.data, channels: first..<(first + width), into: acc)
            }
            // [P, Co] → [Co, P], in tiles that stay in cache.
            let dst = y.data + s * co * P
            let tile = 32
            for p0 in Swift.stride(from: 0, to: P, by: tile) {
                for o0 in Swift.stride(from: 0, to: co, by: tile) {
                    for p in p0..<min(p0 + tile, P) {
                        for o in o0..<min(o0 + tile, co) { dst[o * P + p] = acc[p * co + o] }
                    }
                }
            }
        }
    }
}

extension Convolution {
    /// acc[p, o] += Σ over nonzero inputs of x · Wᵀ for output channels o in `channels` (one sample).
    private func scatter(_ x: UnsafePointer<Float>, transposedWeight wt: UnsafePointer<Float>, channels: Range<Int>,
                         into acc: UnsafeMutablePointer<Float>) {
        let co = outChannels, h = height, w = width, n = channels.count, o0 = channels.lowerBound
        for c in 0..<inChannels {
            let plane = x + c * h * w
            let kernelRows = wt + c * 9 * co + o0
            for iy in 0..<h {
                let row = plane + iy * w
                for ix in 0..<w {
                    let v = row[ix]
                    if v == 0 { continue }
                    for ky in 0..<3 {
                        let oy = iy + 1 - ky
                        if oy < 0 || oy >= h { continue }
                        for kx in 0..<3 {
                            let ox = ix + 1 - kx
                            if ox < 0 || ox >= w { continue }
                            Vector.axpy(n, v, kernelRows + (ky * 3 + kx) * co, acc + (oy * w + ox) * co + o0)
                        }
                    }
                }
            }
        }
    }
}

extension Tensor {
    /// The fraction of elements that are not zero.
    public var density: Float {
        var n = 0
        for i in 0..<count where data[i] != 0 { n += 1 }
        return Float(n) / Float(max(count, 1))
    }
}
