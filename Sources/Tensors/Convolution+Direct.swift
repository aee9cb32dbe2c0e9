/// The forward convolution for few input channels (the data frame's two polarities), computed directly from a
/// zero-bordered copy of the input instead of through im2col and a matrix product:
///
///     y[b, o, oy, ox] = bias[o] + Σ_{c,ky,kx} Wᵀ[(c·k + ky)·k + kx, o] · x̄[b, c, oy + ky, ox + kx]
///                       with x̄ [B, Ci, H + 2·pad, W + 2·pad] the input inside a border of zeros
///
/// With K = Ci·k·k small (18 for a 3×3 kernel on two channels) the matrix product is too thin for OpenBLAS's
/// packing to pay, and im2col would copy the input k·k times. Here each step of the kernel loads 16 adjacent inputs
/// of one padded row (two AVX2 registers) and multiplies them into 16 outputs of 4 channels (8 accumulators in
/// registers): y is written once, in its own layout. Same sums as `forward`, in another order. Stride 1 only.
extension Convolution {
    /// Fields of at most this many taps (K = Ci·k·k) take the direct path.
    public static let directFieldLimit = 32

    /// Whether `forwardDirect` applies: stride 1, a small field, rows of whole 16-float segments and whole blocks of
    /// 4 output channels.
    public var supportsDirect: Bool {
        stride == 1 && fieldSize <= Convolution.directFieldLimit && outWidth % 16 == 0 && outChannels % 4 == 0
    }

    /// y[B,Co,Ho,Wo] = conv(x, W) + bias, from Wᵀ [K, Co].
    public func forwardDirect(_ x: Tensor, transposedWeight wt: Tensor, bias: Tensor, into y: Tensor) {
        precondition(supportsDirect, "direct convolution needs stride 1, K ≤ \(Convolution.directFieldLimit), Wo a multiple of 16 and Co of 4 (have s \(stride) K \(fieldSize) Wo \(outWidth) Co \(outChannels))")
        let b = checkInput(x)
        precondition(y.count == b * outChannels * positions && wt.count == outChannels * fieldSize
                     && bias.count == outChannels, "direct conv shapes: y \(y.shape), Wᵀ \(wt.shape), bias \(bias.shape)")
        let hp = height + 2 * padding, wp = width + 2 * padding, ci = inChannels, co = outChannels
        // x̄ [B, Ci, hp, wp]
        workspace.reservePadded(b * ci * paddedPlaneSize)
        let padded = workspace.padded.data
        for plane in 0..<(b * ci) { pad(x.data + plane * height * width, into: padded + plane * hp * wp) }
        // Work items (sample, block of 4 channels, output row), split over the cores when there are enough.
        let blocks = co / 4, items = b * blocks * outHeight
        let grain = max(1, Convolution.directGrain / (4 * outWidth * fieldSize))
        let (w, bs, out) = (wt.data, bias.data, y.data)
        struct Items: RangeLoop {
            let convolution: Convolution
            let padded: UnsafePointer<Float>, w: UnsafePointer<Float>, bs: UnsafePointer<Float>
            let out: UnsafeMutablePointer<Float>
            let blocks: Int, hp: Int, wp: Int, ci: Int, co: Int, outHeight: Int, outWidth: Int, positions: Int

            func callAsFunction(_ range: Range<Int>) {
                for item in range {
                    let s = item / (blocks * outHeight), o = (item / outHeight) % blocks * 4, oy = item % outHeight
                    let input = padded + s * ci * hp * wp
                    let output = out + (s * co + o) * positions + oy * outWidth
                    var x0 = 0
                    while x0 < outWidth {
                        convolution.directSegment(input, rowStride: wp, planeStride: hp * wp, oy: oy, x0: x0,
                                                  transposedWeight: w + o, bias: bs + o, into: output + x0,
                                                  channelStride: positions)
                        x0 += 16
                    }
                }
            }
        }
        Parallel.forRanges(items, grain: grain,
                           Items(convolution: self, padded: padded, w: w, bs: bs, out: out, blocks: blocks, hp: hp, wp: wp,
                                 ci: ci, co: co, outHeight: outHeight, outWidth: outWidth, positions: positions))
    }

    /// Multiply-adds per part below which the direct path stays on one thread.
    static let directGrain = 1 << 16

    /// y[o..<o+4, oy, x0..<x0+16] for one sample: `input` is x̄ [Ci, hp, wp], `wt` points at Wᵀ[0, o] (row stride
    /// Co), `out` at y[o, oy, x0] (channel stride P).
    @inline(__always)
    private func directSegment(_ input: UnsafePointer<Float>, rowStride wp: Int, planeStride: Int, oy: Int, x0: Int,
                               transposedWeight wt: UnsafePointer<Float>, bias: UnsafePointer<Float>,
                               into out: UnsafeMutablePointer<Float>, channelStride P: Int) {
        typealias V = Vector.V
        let k = kernel, co = outChannels
        // a_j_h: channel o + j, columns x0 + 8h ..< x0 + 8h + 8.
        var a00 = V(repeating: bias[0]), a01 = a00
        var a10 = V(repeating: bias[1]), a11 = a10
        var a20 = V(repeating: bias[2]), a21 = a20
        var a30 = V(repeating: bias[3]), a31 = a30
        // The taps r = (c·k + ky)·k + kx in order: w walks down Wᵀ one row of Co per tap.
        var w = wt
        for c in 0..<inChannels {
            var row = input + c * planeStride + oy * wp + x0
            for _ in 0..<k {
                for kx in 0..<k {
                    let v0 = Vector.load(row + kx, 0), v1 = Vector.load(row + kx, 8)
                    let w0 = V(repeating: w[0]), w1 = V(repeating: w[1]), w2 = V(repeating: w[2]), w3 = V(repeating: w[3])
                    w += co
                    a00 = a00.addingProduct(w0, v0); a01 = a01.addingProduct(w0, v1)
                    a10 = a10.addingProduct(w1, v0); a11 = a11.addingProduct(w1, v1)
                    a20 = a20.addingProduct(w2, v0); a21 = a21.addingProduct(w2, v1)
                    a30 = a30.addingProduct(w3, v0); a31 = a31.addingProduct(w3, v1)
                }
                row += wp
            }
        }
        Vector.store(a00, out, 0); Vector.store(a01, out, 8)
        Vector.store(a10, out + P, 0); Vector.store(a11, out + P, 8)
        Vector.store(a20, out + 2 * P, 0); Vector.store(a21, out + 2 * P, 8)
        Vector.store(a30, out + 3 * P, 0); Vector.store(a31, out + 3 * P, 8)
    }
}
