import Testing
import Tensors

@Suite("Convolution (im2col + GEMM)")
struct ConvolutionTests {
    struct Case: Sendable, CustomStringConvertible {
        var batch, ci, co, h, w, k, p, s: Int
        /// The im2col limit in floats (0: the default); small limits make the batch go through in chunks.
        var columnLimit = 0
        var description: String {
            "B\(batch) \(ci)→\(co) \(h)×\(w) k\(k) p\(p) s\(s)" + (columnLimit > 0 ? " im2col ≤ \(columnLimit)" : "")
        }

        func convolution() -> Convolution {
            let conv = Convolution(inChannels: ci, outChannels: co, height: h, width: w, kernel: k, padding: p, stride: s)
            if columnLimit > 0 { conv.columnLimit = columnLimit }
            return conv
        }
    }

    static let cases = [
        Case(batch: 1, ci: 2, co: 3, h: 5, w: 6, k: 3, p: 1, s: 1),
        Case(batch: 3, ci: 3, co: 4, h: 6, w: 5, k: 3, p: 1, s: 1),
        Case(batch: 2, ci: 2, co: 2, h: 7, w: 7, k: 3, p: 0, s: 2),
        Case(batch: 2, ci: 1, co: 3, h: 4, w: 4, k: 1, p: 0, s: 1),
        // one sample per im2col round, then two samples and a remainder of one
        Case(batch: 3, ci: 3, co: 4, h: 6, w: 5, k: 3, p: 1, s: 1, columnLimit: 1),
        Case(batch: 5, ci: 2, co: 3, h: 5, w: 6, k: 3, p: 1, s: 1, columnLimit: 2 * 18 * 30),
    ]

    /// Rows of 17 and 20 floats (vector copies and a remainder in im2col), a 5×5 kernel with padding 2, and a
    /// product large enough to be split over the cores.
    static let wideCases = [
        Case(batch: 2, ci: 2, co: 5, h: 9, w: 17, k: 3, p: 1, s: 1),
        Case(batch: 1, ci: 3, co: 4, h: 8, w: 20, k: 5, p: 2, s: 1),
        Case(batch: 1, ci: 16, co: 64, h: 16, w: 16, k: 3, p: 1, s: 1),
    ]

    @Test("forward equals the direct definition", arguments: cases + wideCases)
    func forward(_ c: Case) {
        #expect(Self.forwardError(c) { conv, x, wt, b, y in conv.forward(x, transposedWeight: wt, bias: b, into: y) } < 1e-5)
    }

    /// The largest error of `forward(conv, x, Wᵀ, bias, y)` on random values against the direct definition.
    static func forwardError(_ c: Case, _ forward: (Convolution, Tensor, Tensor, Tensor, Tensor) -> Void) -> Float {
        let conv = c.convolution()
        let xs = randomValues(c.batch * c.ci * c.h * c.w, seed: 1)
        let ws = randomValues(c.co * c.ci * c.k * c.k, seed: 2), bs = randomValues(c.co, seed: 3)
        let y = Tensor(shape: [c.batch, c.co, conv.outHeight, conv.outWidth])
        forward(conv, Tensor(shape: [c.batch, c.ci, c.h, c.w], values: xs), transposed(ws, rows: c.co),
                Tensor(shape: [c.co], values: bs), y)
        let expected = naiveConvolution(xs, batch: c.batch, inChannels: c.ci, height: c.h, width: c.w, weight: ws,
                                        bias: bs, outChannels: c.co, kernel: c.k, padding: c.p, stride: c.s)
        return maxError(y.values, expected)
    }

    /// The backward products are the adjoints of the forward map: for L = Σ dy ⊙ conv(x, W), ∂L/∂W, ∂L/∂b and
    /// ∂L/∂x by central differences on the direct definition (which is linear, so differences are exact up to
    /// rounding).
    @Test("weight, bias and input gradients equal finite differences", arguments: cases + wideCases.prefix(2))
    func backward(_ c: Case) {
        let conv = c.convolution()
        let xs = randomValues(c.batch * c.ci * c.h * c.w, seed: 4)
        let ws = randomValues(c.co * c.ci * c.k * c.k, seed: 5), bs = randomValues(c.co, seed: 6)
        let dys = randomValues(c.batch * c.co * conv.outHeight * conv.outWidth, seed: 7)
        let dw = Tensor(shape: [c.co, c.ci * c.k * c.k]), db = Tensor(shape: [c.co])
        let dx = Tensor(shape: [c.batch, c.ci, c.h, c.w])
        conv.backward(Tensor(shape: [dys.count], values: dys), input: Tensor(shape: [c.batch, c.ci, c.h, c.w], values: xs),
                      transposedWeight: transposed(ws, rows: c.co),
                      weightGradient: dw, biasGradient: db, inputGradient: dx)
        func loss(_ x: [Float], _ w: [Float], _ b: [Float]) -> Double {
            let y = naiveConvolution(x, batch: c.batch, inChannels: c.ci, height: c.h, width: c.w, weight: w, bias: b,
                                     outChannels: c.co, kernel: c.k, padding: c.p, stride: c.s)
            return zip(y, dys).reduce(0) { $0 + Double($1.0) * Double($1.1) }
        }
        let e: Float = 1e-2
        func numeric(_ v: [Float], _ f: ([Float]) -> Double) -> [Float] {
            (0..<v.count).map { i in
                var plus = v, minus = v
                plus[i] += e; minus[i] -= e
                return Float((f(plus) - f(minus)) / Double(2 * e))
            }
        }
        #expect(maxError(dw.values, numeric(ws) { loss(xs, $0, bs) }) < 1e-3)
        #expect(maxError(db.values, numeric(bs) { loss(xs, ws, $0) }) < 1e-3)
        #expect(maxError(dx.values, numeric(xs) { loss($0, ws, bs) }) < 1e-3)
    }

    /// The split paths of the backward (im2col, col2im and products on both cores) on the large wide case, by the
    /// adjoint identities of a linear map (bias 0): ⟨conv(x, W), dy⟩ = ⟨x, dx⟩ = ⟨W, dW⟩.
    @Test("on a layer split over the cores, the input and weight gradients are the adjoints of the forward")
    func adjointOnBothCores() {
        let c = Self.wideCases[2], conv = c.convolution()
        let x = Tensor(shape: [c.batch, c.ci, c.h, c.w], values: randomValues(c.batch * c.ci * c.h * c.w, seed: 10))
        let ws = randomValues(c.co * c.ci * c.k * c.k, seed: 11), wt = transposed(ws, rows: c.co)
        let y = Tensor(shape: [c.batch, c.co, conv.outHeight, conv.outWidth])
        conv.forward(x, transposedWeight: wt, bias: Tensor(shape: [c.co]), into: y)
        let dy = Tensor(shape: y.shape, values: randomValues(y.count, seed: 12))
        let dw = Tensor(shape: [c.co, c.ci * c.k * c.k]), db = Tensor(shape: [c.co]), dx = Tensor(shape: x.shape)
        conv.backward(dy, input: x, transposedWeight: wt, weightGradient: dw, biasGradient: db, inputGradient: dx)
        func dot(_ a: [Float], _ b: [Float]) -> Double { zip(a, b).reduce(0) { $0 + Double($1.0) * Double($1.1) } }
        let output = dot(y.values, dy.values)
        #expect(abs(dot(x.values, dx.values) - output) < 1e-3 * (1 + abs(output)))
        #expect(abs(dot(ws, dw.values) - output) < 1e-3 * (1 + abs(output)))
    }

    @Test("weight gradients accumulate across calls")
    func accumulates() {
        let conv = Convolution(inChannels: 1, outChannels: 1, height: 3, width: 3)
        let x = Tensor(shape: [1, 1, 3, 3], values: randomValues(9, seed: 8))
        let dy = Tensor(shape: [1, 1, 3, 3], values: randomValues(9, seed: 9))
        let w = Tensor(shape: [9, 1]), dw = Tensor(shape: [1, 9]), db = Tensor(shape: [1])
        conv.backward(dy, input: x, transposedWeight: w, weightGradient: dw, biasGradient: db, inputGradient: nil)
        let once = dw.values
        conv.backward(dy, input: x, transposedWeight: w, weightGradient: dw, biasGradient: db, inputGradient: nil)
        #expect(maxError(dw.values, once.map { 2 * $0 }) < 1e-6)
    }
}

@Suite("Sparse convolution")
struct SparseConvolutionTests {
    @Test("gathering the nonzero inputs equals the dense forward (remainder channels only; a 64-channel block and a remainder on two cores)",
          arguments: [(0.02, false), (0.3, false), (1.0, false), (0.05, true)] as [(Float, Bool)])
    func matchesDense(_ density: Float, _ wide: Bool) {
        let (b, ci, co, h, w) = wide ? (2, 4, 66, 32, 32) : (2, 3, 5, 6, 7)
        let conv = Convolution(inChannels: ci, outChannels: co, height: h, width: w)
        var g = SeededGenerator(seed: 3)
        let x = Tensor(shape: [b, ci, h, w])
        for i in 0..<x.count where g.uniform() < density { x.data[i] = 2.74 * (1 + g.uniform()) }
        let weight = Tensor(shape: [co, ci * 9], values: randomValues(co * ci * 9, seed: 4))
        let wt = transposed(weight.values, rows: co)
        let bias = Tensor(shape: [co], values: randomValues(co, seed: 5))
        let dense = Tensor(shape: [b, co, h, w]), sparse = Tensor(shape: [b, co, h, w])
        conv.forward(x, transposedWeight: wt, bias: bias, into: dense)
        conv.forwardSparse(x, transposedWeight: wt, bias: bias, into: sparse)
        #expect(maxError(sparse.values, dense.values) < 1e-5)
        #expect(abs(x.density - density) < 0.1)
    }
}

@Suite("Direct convolution")
struct DirectConvolutionTests {
    @Test("the direct forward for few input channels equals the direct definition",
          arguments: [ConvolutionTests.Case(batch: 2, ci: 2, co: 8, h: 5, w: 16, k: 3, p: 1, s: 1),
                      ConvolutionTests.Case(batch: 1, ci: 3, co: 4, h: 4, w: 32, k: 3, p: 1, s: 1),
                      ConvolutionTests.Case(batch: 1, ci: 1, co: 12, h: 6, w: 16, k: 5, p: 2, s: 1),
                      ConvolutionTests.Case(batch: 1, ci: 2, co: 4, h: 6, w: 18, k: 3, p: 0, s: 1),
                      ConvolutionTests.Case(batch: 3, ci: 2, co: 32, h: 32, w: 32, k: 3, p: 1, s: 1)])
    func matchesDefinition(_ c: ConvolutionTests.Case) {
        #expect(c.convolution().supportsDirect)
        let error = ConvolutionTests.forwardError(c) { conv, x, wt, b, y in
            conv.forwardDirect(x, transposedWeight: wt, bias: b, into: y)
        }
        #expect(error < 1e-5)
    }

    @Test("the direct path is for small fields, stride 1 and whole 16-column rows only")
    func applicability() {
        #expect(!Convolution(inChannels: 4, outChannels: 8, height: 8, width: 16).supportsDirect)   // K = 36
        #expect(!Convolution(inChannels: 2, outChannels: 8, height: 8, width: 12).supportsDirect)   // Wo = 12
        #expect(!Convolution(inChannels: 2, outChannels: 6, height: 8, width: 16).supportsDirect)   // Co = 6
        #expect(!Convolution(inChannels: 2, outChannels: 8, height: 8, width: 32, stride: 2).supportsDirect)  // stride 2
    }
}

/// W [rows, n] (row-major values) as Wᵀ [n, rows], the layout `Convolution` takes.
func transposed(_ w: [Float], rows: Int) -> Tensor {
    let n = w.count / rows
    let t = Tensor(shape: [n, rows])
    for o in 0..<rows { for r in 0..<n { t.data[r * rows + o] = w[o * n + r] } }
    return t
}
