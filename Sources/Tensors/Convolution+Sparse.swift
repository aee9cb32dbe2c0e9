/// The forward convolution for mostly-zero inputs (spikes), as a gather over the nonzero inputs:
///
///     y[b, o, oy, ox] = bias[o] + Σ_{ky,kx} Σ_{c : x[b,c,iy,ix] ≠ 0} x[b,c,iy,ix] · Wᵀ[(c·3 + ky)·3 + kx, o]
///                       with iy = oy + ky − 1, ix = ox + kx − 1 inside the map
///
/// First the nonzero inputs of a sample are listed by position (for each iy·W + ix, the channels c and values
/// x[b,c,iy,ix]: a counting sort, one pass to count and one to fill). Then every output position sums, for each
/// of its 9 taps and each nonzero input there, one row of Wᵀ into 64 accumulators held in registers (8 AVX2
/// registers): weights are only read, outputs written once. Work is proportional to the number of nonzero inputs
/// (9·Co multiply-adds each) instead of Ci·9·Co·P per sample, so it pays below a density of roughly 1/5
/// (`Convolution.sparseDensityLimit`). Same sums as `forward`, in another order (results agree to float rounding).
/// Only for 3×3 kernels, stride 1, padding 1.
extension Convolution {
    /// Inputs denser than this go through im2col + GEMM.
    public static let sparseDensityLimit: Float = 0.2

    /// Whether `forwardSparse` applies to this geometry.
    public var supportsSparse: Bool { kernel == 3 && stride == 1 && padding == 1 }

    /// y[B,Co,H,W] = conv(x, W) + bias, from Wᵀ [K, Co], skipping zero inputs.
    public func forwardSparse(_ x: Tensor, transposedWeight wt: Tensor, bias: Tensor, into y: Tensor) {
        precondition(supportsSparse, "sparse convolution needs k 3, stride 1, padding 1 (have k \(kernel) s \(stride) p \(padding))")
        let b = checkInput(x)
        precondition(y.count == b * outChannels * positions && wt.count == outChannels * fieldSize, "sparse conv shapes")
        prepare(batch: b)
        let P = positions                                        // = H·W
        workspace.reserveSparse(positions: P, entries: inputSize)
        let co = outChannels, h = height, w = width
        let acc = matrix.data                                    // [P, Co] for one sample
        let start = workspace.starts, rows = workspace.rows, values = workspace.values
        // One sample's output rows, split over the cores: each part writes its own rows of the accumulator.
        struct OutputRows: RangeLoop {
            let h: Int, w: Int, co: Int
            let acc: UnsafeMutablePointer<Float>                     // [P, Co]
            let start: UnsafeMutablePointer<Int32>, rows: UnsafeMutablePointer<Int32>
            let values: UnsafeMutablePointer<Float>, wt: UnsafePointer<Float>, bias: UnsafePointer<Float>

            func callAsFunction(_ outputRows: Range<Int>) {
                for oy in outputRows {
                    for ox in 0..<w {
                        let out = acc + (oy * w + ox) * co
                        out.update(from: bias, count: co)
                        for ky in 0..<3 {
                            let iy = oy + ky - 1
                            if iy < 0 || iy >= h { continue }
                            for kx in 0..<3 {
                                let ix = ox + kx - 1
                                if ix < 0 || ix >= w { continue }
                                let q = iy * w + ix, first = Int(start[q]), n = Int(start[q + 1]) - first
                                if n == 0 { continue }
                                // Row of Wᵀ for channel c at this tap: (c·3 + ky)·3 + kx = c·9 + tap.
                                Convolution.gather(n, channels: rows + first, values: values + first,
                                                   tap: ky * 3 + kx, outChannels: co, transposedWeight: wt, into: out)
                            }
                        }
                    }
                }
            }
        }
        for s in 0..<b {
            listNonzero(x.data + s * inputSize, starts: start, channels: rows, values: values)
            Parallel.forRanges(h, grain: max(1, Convolution.sparseGrain / (w * co)),
                               OutputRows(h: h, w: w, co: co, acc: acc, start: start, rows: rows, values: values,
                                          wt: wt.data, bias: bias.data))
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

    /// Output rows of fewer multiply-add targets than this (W·Co) stay on one thread.
    static let sparseGrain = 1 << 13

    /// The nonzero entries of one sample x [Ci, H·W] by position q: entries starts[q]..<starts[q+1] of `channels`
    /// and `values` (a counting sort; starts has H·W + 1 entries).
    private func listNonzero(_ x: UnsafePointer<Float>, starts: UnsafeMutablePointer<Int32>,
                             channels: UnsafeMutablePointer<Int32>, values: UnsafeMutablePointer<Float>) {
        let P = height * width
        starts.update(repeating: 0, count: P + 1)
        // Count into starts[q + 1], skipping all-zero runs of 8 quickly.
        let zero = Vector.V(repeating: 0)
        for c in 0..<inChannels {
            let plane = x + c * P
            var q = 0
            while q + 8 <= P {
                if any(Vector.load(plane, q) .!= zero) {
                    for j in q..<(q + 8) where plane[j] != 0 { starts[j + 1] += 1 }
                }
                q += 8
            }
            while q < P { if plane[q] != 0 { starts[q + 1] += 1 }; q += 1 }
        }
        for q in 0..<P { starts[q + 1] += starts[q] }
        // Fill, advancing starts[q] as a cursor; afterwards starts[q] is the end of q's list, i.e. the start of
        // q + 1's, so shifting by one restores the starts.
        for c in 0..<inChannels {
            let plane = x + c * P
            var q = 0
            while q < P {
                if q + 8 <= P && !any(Vector.load(plane, q) .!= zero) { q += 8; continue }
                let v = plane[q]
                if v != 0 {
                    let e = Int(starts[q])
                    channels[e] = Int32(c); values[e] = v
                    starts[q] += 1
                }
                q += 1
            }
        }
        var previous: Int32 = 0
        for q in 0..<P { let end = starts[q]; starts[q] = previous; previous = end }
        starts[P] = previous
    }

    /// out[0..<Co] += Σ_e values[e] · Wᵀ[channels[e]·9 + tap, 0..<Co], 64 outputs at a time in registers.
    @inline(__always)
    private static func gather(_ n: Int, channels: UnsafePointer<Int32>, values: UnsafePointer<Float>, tap: Int,
                               outChannels co: Int, transposedWeight wt: UnsafePointer<Float>,
                               into out: UnsafeMutablePointer<Float>) {
        typealias V = Vector.V
        let rowStride = 9 * co
        let base = wt + tap * co
        var o = 0
        while o + 64 <= co {
            let y = out + o, w0 = base + o
            var a0 = Vector.load(y, 0), a1 = Vector.load(y, 8), a2 = Vector.load(y, 16), a3 = Vector.load(y, 24)
            var a4 = Vector.load(y, 32), a5 = Vector.load(y, 40), a6 = Vector.load(y, 48), a7 = Vector.load(y, 56)
            for e in 0..<n {
                let r = w0 + Int(channels[e]) * rowStride, v = V(repeating: values[e])
                a0 = a0.addingProduct(v, Vector.load(r, 0)); a1 = a1.addingProduct(v, Vector.load(r, 8))
                a2 = a2.addingProduct(v, Vector.load(r, 16)); a3 = a3.addingProduct(v, Vector.load(r, 24))
                a4 = a4.addingProduct(v, Vector.load(r, 32)); a5 = a5.addingProduct(v, Vector.load(r, 40))
                a6 = a6.addingProduct(v, Vector.load(r, 48)); a7 = a7.addingProduct(v, Vector.load(r, 56))
            }
            Vector.store(a0, y, 0); Vector.store(a1, y, 8); Vector.store(a2, y, 16); Vector.store(a3, y, 24)
            Vector.store(a4, y, 32); Vector.store(a5, y, 40); Vector.store(a6, y, 48); Vector.store(a7, y, 56)
            o += 64
        }
        // The last Co mod 64 outputs, one row at a time.
        if o < co {
            for e in 0..<n {
                Vector.axpy(co - o, values[e], base + Int(channels[e]) * rowStride + o, out + o)
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
