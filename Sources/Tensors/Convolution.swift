/// 2-D convolution (cross-correlation, as in PyTorch) of NCHW tensors through im2col and one matrix product, with
/// its two backward products beside it.
///
/// Legend: B batch, Ci input channels, Co output channels, H×W input, Ho×Wo output, k kernel side,
/// K = Ci·k·k the length of one receptive field, P = Ho·Wo the output positions of one sample, S the samples of
/// one im2col round (a chunk of the batch, so that the im2col matrix stays near `columnLimit` floats), N = S·P.
///
/// The weights are given transposed, Wᵀ [K, Co] (one row of Co weights per input tap): the same layout serves the
/// dense products below and the sparse scatter of `forwardSparse`, so a network keeps one copy.
///
///     forward        y[b,o,p]  = Σ_r W[o,r] · col(x)[r, b·P+p] + bias[o]        Y[Co,N] = (Wᵀ)ᵀ · col(x)[K,N]
///     weight grad    dW[o,r]  += Σ_{b,p} dy[b,o,p] · col(a)[r, b·P+p]          dW[Co,K] += dY[Co,N] · col(a)ᵀ
///     bias grad      dbias[o] += Σ_{b,p} dy[b,o,p]
///     input grad     dx = col⁻¹(Wᵀ · dY)                                         col[K,N] = Wᵀ[K,Co] · dY[Co,N]
///
/// `a` in the weight gradient is whatever the caller says the input was (OTTT passes the presynaptic trace).
/// A `Convolution` owns its workspaces: after the first call at a batch size nothing is allocated.
public final class Convolution {
    public let inChannels: Int, outChannels: Int
    public let height: Int, width: Int
    public let kernel: Int, padding: Int, stride: Int
    public let outHeight: Int, outWidth: Int

    /// Loops over fewer floats than this stay on one thread (handing a part to the pool costs about a microsecond).
    static let parallelGrain = 1 << 13

    /// K = Ci·k·k.
    public var fieldSize: Int { inChannels * kernel * kernel }
    /// P = Ho·Wo.
    public var positions: Int { outHeight * outWidth }
    /// Ci·H·W, one input sample.
    var inputSize: Int { inChannels * height * width }

    /// The im2col matrix holds at most this many floats (or one sample's K·P when that is more): a batch is
    /// convolved a chunk of samples at a time, so that scratch memory does not grow with the batch and the
    /// matrix stays in cache longer. 2²¹ floats (8 MiB) keeps N = S·P in the hundreds at least on every VGG layer.
    public var columnLimit = 1 << 21

    /// Scratch memory, shareable by every convolution of a network (they run one after another).
    public let workspace: ConvolutionWorkspace
    /// [K, N]
    private var col: Tensor { workspace.col }
    /// [Co, N]: outputs or output gradients of a chunk, sample-major columns; the sparse path's [P, Co] accumulator.
    var matrix: Tensor { workspace.matrix }

    public init(inChannels: Int, outChannels: Int, height: Int, width: Int,
                kernel: Int = 3, padding: Int = 1, stride: Int = 1,
                workspace: ConvolutionWorkspace = ConvolutionWorkspace()) {
        self.workspace = workspace
        precondition(inChannels > 0 && outChannels > 0 && kernel > 0 && stride > 0 && padding >= 0,
                     "bad convolution Ci \(inChannels) Co \(outChannels) k \(kernel) stride \(stride) pad \(padding)")
        self.inChannels = inChannels; self.outChannels = outChannels
        self.height = height; self.width = width
        self.kernel = kernel; self.padding = padding; self.stride = stride
        outHeight = (height + 2 * padding - kernel) / stride + 1
        outWidth = (width + 2 * padding - kernel) / stride + 1
        precondition(outHeight > 0 && outWidth > 0, "convolution of \(height)×\(width) with k \(kernel) has no output")
    }

    /// (H + 2·pad)·(W + 2·pad), one input plane inside its border of zeros.
    var paddedPlaneSize: Int { (height + 2 * padding) * (width + 2 * padding) }

    /// S, the samples of one im2col round at batch size `b`.
    public func chunk(batch b: Int) -> Int { max(1, min(b, columnLimit / (fieldSize * positions))) }

    /// The workspaces for batch size `b` (allocated only when larger than ever before).
    func prepare(batch b: Int) {
        let n = chunk(batch: b) * positions
        workspace.reserve(col: fieldSize * n, matrix: outChannels * n)
        workspace.reservePadded(chunk(batch: b) * inChannels * paddedPlaneSize)
    }

    /// y[B,Co,Ho,Wo] = conv(x[B,Ci,H,W], W) + bias[Co], from Wᵀ [K, Co].
    public func forward(_ x: Tensor, transposedWeight wt: Tensor, bias: Tensor, into y: Tensor) {
        let b = checkInput(x)
        precondition(y.count == b * outChannels * positions, "conv output \(y.shape) for batch \(b)")
        precondition(wt.count == outChannels * fieldSize && bias.count == outChannels, "conv weight \(wt.shape)")
        prepare(batch: b)
        let co = outChannels, P = positions, S = chunk(batch: b)
        for s0 in Swift.stride(from: 0, to: b, by: S) {
            let m = min(S, b - s0), N = m * P
            im2col(x.data + s0 * inputSize, samples: m, into: col.data)
            let out = y.data + s0 * co * P                      // y[s0..<s0+m] as [m, Co, P]
            let product = products(samples: m).forward
            if m == 1 {
                // One sample: Y [Co, P] is already y's layout; start from the bias and add the product.
                for o in 0..<co { (out + o * P).update(repeating: bias.data[o], count: P) }
                product.run(wt.data, col.data, out, beta: 1)
            } else {
                product.run(wt.data, col.data, matrix.data, beta: 0)
                // [Co, m·P] → [m, Co, P], adding the bias.
                for s in 0..<m {
                    for o in 0..<co {
                        let src = matrix.data + o * N + s * P, dst = out + (s * co + o) * P
                        let bo = bias.data[o]
                        for p in 0..<P { dst[p] = src[p] + bo }
                    }
                }
            }
        }
    }

    /// dW[Co,K] += dY · col(a)ᵀ and dbias[Co] += Σ dY, from dy[B,Co,Ho,Wo] and the input `a`[B,Ci,H,W]; and, when
    /// `inputGradient` is given, dx[B,Ci,H,W] = col⁻¹(Wᵀ · dY) (overwritten), from Wᵀ [K, Co].
    public func backward(_ dy: Tensor, input a: Tensor, transposedWeight wt: Tensor,
                         weightGradient dw: Tensor, biasGradient db: Tensor, inputGradient dx: Tensor?) {
        let b = checkInput(a)
        precondition(dy.count == b * outChannels * positions, "conv output gradient \(dy.shape) for batch \(b)")
        precondition(wt.count == outChannels * fieldSize, "conv weight \(wt.shape)")
        precondition(dw.count == outChannels * fieldSize && db.count == outChannels, "conv weight gradient \(dw.shape)")
        if let dx { precondition(dx.count == a.count, "conv input gradient \(dx.shape) for input \(a.shape)") }
        prepare(batch: b)
        let co = outChannels, P = positions, S = chunk(batch: b)
        // dbias[o] += Σ_{b,p} dy[b,o,p]
        for s in 0..<b {
            for o in 0..<co {
                db.data[o] += Vector.sum(P, dy.data + (s * co + o) * P)
            }
        }
        for s0 in Swift.stride(from: 0, to: b, by: S) {
            let m = min(S, b - s0), N = m * P
            let chunkDy = dy.data + s0 * co * P                 // dy[s0..<s0+m] as [m, Co, P]
            // dY as [Co, m·P].
            let dY: UnsafeMutablePointer<Float>
            if m == 1 {
                dY = chunkDy
            } else {
                dY = matrix.data
                for s in 0..<m {
                    for o in 0..<co { (dY + o * N + s * P).update(from: chunkDy + (s * co + o) * P, count: P) }
                }
            }
            im2col(a.data + s0 * inputSize, samples: m, into: col.data)
            let (_, weightProduct, inputProduct) = products(samples: m)
            weightProduct.run(dY, col.data, dw.data, beta: 1)
            if let dx {
                inputProduct.run(wt.data, dY, col.data, beta: 0)
                col2im(col.data, samples: m, into: dx.data + s0 * inputSize)
            }
        }
    }

    /// The products that `forward` and `backward` make for a chunk of `samples` samples (N = samples·P), in the
    /// order of the table above: Y = (Wᵀ)ᵀ·col(x), dW += dY·col(a)ᵀ, col = Wᵀ·dY.
    public func products(samples: Int) -> (forward: MatrixProduct, weightGradient: MatrixProduct, inputGradient: MatrixProduct) {
        let co = outChannels, K = fieldSize, N = samples * positions
        return (MatrixProduct(.transposed, .none, m: co, n: N, k: K),
                MatrixProduct(.none, .transposed, m: co, n: K, k: N),
                MatrixProduct(.none, .none, m: K, n: N, k: co))
    }

    func checkInput(_ x: Tensor) -> Int {
        precondition(x.count % inputSize == 0 && x.count > 0,
                     "conv input \(x.shape) is not a batch of [\(inChannels), \(height), \(width)]")
        return x.count / inputSize
    }

    /// col[r = (c·k + ky)·k + kx, s·P + oy·Wo + ox] = x[s, c, oy·stride − pad + ky, ox·stride − pad + kx], 0 outside,
    /// for the `samples` samples starting at `x` (col [K, samples·P]).
    private func im2col(_ x: UnsafePointer<Float>, samples m: Int, into col: UnsafeMutablePointer<Float>) {
        // Every (sample, channel) pair fills its own k·k rows of one column block: the pairs run in parallel.
        forPairs(samples: m, PlanePairs(convolution: self, direction: .toColumns, source: x, destination: col,
                                        columns: m * positions))
    }

    /// Runs `pairs` over the (sample, channel) pairs of `samples` samples, on both cores when they are large.
    private func forPairs(samples m: Int, _ pairs: PlanePairs) {
        Parallel.forRanges(m * inChannels, grain: max(1, Convolution.parallelGrain / (kernel * kernel * positions)),
                           pairs)
    }

    /// Part of `im2col`: the (sample, channel) pairs in `pairs`.
    fileprivate func im2col(pairs: Range<Int>, _ x: UnsafePointer<Float>, into col: UnsafeMutablePointer<Float>,
                            columns N: Int) {
        let P = positions, k = kernel
        for q in pairs {
            let s = q / inChannels, c = q % inChannels
            let plane = x + (s * inChannels + c) * height * width
            if stride == 1 {
                im2colRows(plane, into: col + c * k * k * N + s * P, rowStride: N,
                           padded: workspace.padded.data + q * paddedPlaneSize)
                continue
            }
            for ky in 0..<k {
                for kx in 0..<k {
                    let dst = col + ((c * k + ky) * k + kx) * N + s * P
                    let (lo, hi) = validRange(offset: kx, extent: width, out: outWidth)
                    for oy in 0..<outHeight {
                        let iy = oy * stride - padding + ky
                        let out = dst + oy * outWidth
                        if iy < 0 || iy >= height {
                            Vector.zero(outWidth, out)
                            continue
                        }
                        let src = plane + iy * width
                        for ox in 0..<lo { out[ox] = 0 }
                        for ox in lo..<max(hi, lo) { out[ox] = src[ox * stride - padding + kx] }
                        for ox in max(hi, lo)..<outWidth { out[ox] = 0 }
                    }
                }
            }
        }
    }

    /// im2col at stride 1 for one plane [H, W]: the k·k rows (ky, kx) of col that it fills, row r at
    /// `col + r · rowStride`. The plane is first copied into a zero-bordered one x̄ [H + 2·pad, W + 2·pad] (scratch
    /// `padded`), so that every output row is one copy of Wo floats, without edge tests:
    ///
    ///     col[(ky·k + kx), oy·Wo + ox] = x̄[oy + ky, ox + kx]
    private func im2colRows(_ plane: UnsafePointer<Float>, into col: UnsafeMutablePointer<Float>, rowStride: Int,
                            padded: UnsafeMutablePointer<Float>) {
        let wp = width + 2 * padding, k = kernel
        pad(plane, into: padded)
        for ky in 0..<k {
            for kx in 0..<k {
                let dst = col + (ky * k + kx) * rowStride
                for oy in 0..<outHeight {
                    Vector.copy(outWidth, padded + (oy + ky) * wp + kx, dst + oy * outWidth)
                }
            }
        }
    }

    /// x̄ [H + 2·pad, W + 2·pad] = the plane x [H, W] inside a border of `padding` zeros.
    func pad(_ plane: UnsafePointer<Float>, into padded: UnsafeMutablePointer<Float>) {
        let pad = padding, wp = width + 2 * pad
        Vector.zero(pad * wp, padded)
        for iy in 0..<height {
            let row = padded + (iy + pad) * wp
            for j in 0..<pad { row[j] = 0; row[pad + width + j] = 0 }
            Vector.copy(width, plane + iy * width, row + pad)
        }
        Vector.zero(pad * wp, padded + (pad + height) * wp)
    }

    /// The adjoint of `im2col`: dx[s, c, iy, ix] = Σ of the col entries that read it (dx [samples, Ci, H, W]).
    private func col2im(_ col: UnsafePointer<Float>, samples m: Int, into dx: UnsafeMutablePointer<Float>) {
        // Every (sample, channel) pair sums into its own plane of dx: the pairs run in parallel.
        forPairs(samples: m, PlanePairs(convolution: self, direction: .fromColumns, source: col, destination: dx,
                                        columns: m * positions))
    }

    /// Part of `col2im`: the (sample, channel) pairs in `pairs`.
    fileprivate func col2im(pairs: Range<Int>, _ col: UnsafePointer<Float>, into dx: UnsafeMutablePointer<Float>,
                            columns N: Int) {
        let P = positions, k = kernel
        for q in pairs {
            let s = q / inChannels, c = q % inChannels
            let plane = dx + (s * inChannels + c) * height * width
            if stride == 1 {
                col2imRows(col + c * k * k * N + s * P, rowStride: N, into: plane,
                           padded: workspace.padded.data + q * paddedPlaneSize)
                continue
            }
            plane.update(repeating: 0, count: height * width)
            for ky in 0..<k {
                for kx in 0..<k {
                    let src = col + ((c * k + ky) * k + kx) * N + s * P
                    let (lo, hi) = validRange(offset: kx, extent: width, out: outWidth)
                    for oy in 0..<outHeight {
                        let iy = oy * stride - padding + ky
                        if iy < 0 || iy >= height { continue }
                        let row = plane + iy * width, from = src + oy * outWidth
                        for ox in lo..<max(hi, lo) { row[ox * stride - padding + kx] += from[ox] }
                    }
                }
            }
        }
    }

    /// col2im at stride 1 for one plane [H, W], the adjoint of `im2colRows`: the k·k rows of col are summed into a
    /// zero-bordered plane x̄ (scratch `padded`), each output row one vector add of Wo floats, and the interior is
    /// copied out:
    ///
    ///     x̄[oy + ky, ox + kx] += col[(ky·k + kx), oy·Wo + ox];   dx = x̄ without its border
    private func col2imRows(_ col: UnsafePointer<Float>, rowStride: Int, into plane: UnsafeMutablePointer<Float>,
                            padded: UnsafeMutablePointer<Float>) {
        let pad = padding, wp = width + 2 * pad, k = kernel
        Vector.zero(paddedPlaneSize, padded)
        for ky in 0..<k {
            for kx in 0..<k {
                let src = col + (ky * k + kx) * rowStride
                for oy in 0..<outHeight {
                    Vector.axpy(outWidth, 1, src + oy * outWidth, padded + (oy + ky) * wp + kx)
                }
            }
        }
        for iy in 0..<height { Vector.copy(width, padded + (iy + pad) * wp + pad, plane + iy * width) }
    }

    /// The output columns ox in lo..<hi whose input column ox·stride − pad + offset lies inside 0..<extent.
    @inline(__always)
    private func validRange(offset: Int, extent: Int, out: Int) -> (Int, Int) {
        // ox·stride ≥ pad − offset  and  ox·stride ≤ extent − 1 + pad − offset
        let first = padding - offset
        let lo = first <= 0 ? 0 : (first + stride - 1) / stride
        let last = extent - 1 + padding - offset
        let hi = last < 0 ? 0 : min(out, last / stride + 1)
        return (min(lo, out), hi)
    }
}

/// The scratch buffers of convolutions: the im2col matrix, the output-ordered matrix, padded input planes and the
/// sparse path's lists of nonzero inputs. They grow to the largest request and are then reused, so a network whose
/// convolutions share one workspace holds only the largest layer's scratch, not the sum.
public final class ConvolutionWorkspace {
    private(set) var col = Tensor(shape: [0])
    private(set) var matrix = Tensor(shape: [0])
    /// Input planes inside their borders of zeros, one per (sample, channel) of a chunk (stride-1 paths).
    private(set) var padded = Tensor(shape: [0])
    /// Where each input position's list of nonzero inputs starts [H·W + 1].
    private(set) var starts = UnsafeMutablePointer<Int32>.allocate(capacity: 1)
    /// The channels and values of the nonzero inputs, position by position [at most Ci·H·W].
    private(set) var rows = UnsafeMutablePointer<Int32>.allocate(capacity: 1)
    private(set) var values = UnsafeMutablePointer<Float>.allocate(capacity: 1)
    private var startCapacity = 1, entryCapacity = 1

    public init() {}

    deinit { starts.deallocate(); rows.deallocate(); values.deallocate() }

    /// Makes room for `col` and `matrix` floats (allocates only when more is needed than ever before).
    func reserve(col c: Int, matrix m: Int) {
        if col.count < c { col = Tensor(shape: [c]) }
        if matrix.count < m { matrix = Tensor(shape: [m]) }
    }

    /// Makes room for `n` floats of padded planes.
    func reservePadded(_ n: Int) {
        if padded.count < n { padded = Tensor(shape: [n]) }
    }

    /// Makes room for the lists of nonzero inputs of one sample with `positions` positions and `entries` inputs.
    func reserveSparse(positions: Int, entries: Int) {
        if startCapacity < positions + 1 {
            starts.deallocate()
            startCapacity = positions + 1
            starts = .allocate(capacity: startCapacity)
        }
        if entryCapacity < entries {
            rows.deallocate(); values.deallocate()
            entryCapacity = entries
            rows = .allocate(capacity: entries); values = .allocate(capacity: entries)
        }
    }
}

/// The (sample, channel) pairs of an im2col or a col2im, a loop for the cores: each pair owns its k·k rows of one
/// column block of col and its own plane of the images, so parts never write the same memory.
private struct PlanePairs: RangeLoop {
    enum Direction { case toColumns, fromColumns }
    let convolution: Convolution, direction: Direction
    /// `toColumns`: x [samples, Ci, H, W] → col [K, samples·P]; `fromColumns`: col → dx [samples, Ci, H, W].
    let source: UnsafePointer<Float>, destination: UnsafeMutablePointer<Float>
    /// samples·P, the columns of col.
    let columns: Int

    func callAsFunction(_ pairs: Range<Int>) {
        switch direction {
        case .toColumns: convolution.im2col(pairs: pairs, source, into: destination, columns: columns)
        case .fromColumns: convolution.col2im(pairs: pairs, source, into: destination, columns: columns)
        }
    }
}
