import Testing
import SNN
import Tensors

@Suite("The classifier's feature gradient")
struct FeatureGradientTests {
    /// g and a for two samples of n features, a's all positive (traces are).
    static func sample(_ n: Int) -> (g: [Float], a: [Float]) {
        (FiniteDifferences.values(2 * n, seed: 7), FiniteDifferences.values(2 * n, seed: 8).map { abs($0) + 0.1 })
    }

    @Test("tangent removes, per sample, exactly the part along the traces")
    func orthogonal() {
        let n = 37
        let (g, a) = Self.sample(n)
        var out = g
        FeatureGradient.removeRadial(&out, along: a, batch: 2, features: n)
        for b in 0..<2 {
            let range = (b * n)..<((b + 1) * n)
            let along = range.reduce(Float(0)) { $0 + out[$1] * a[$1] }
            #expect(abs(along) < 1e-4, "sample \(b): the result · a = \(along)")
            // What was removed is a multiple of a: (g − out) = k · a, one k for the sample.
            let k = (g[range.lowerBound] - out[range.lowerBound]) / a[range.lowerBound]
            for i in range { #expect(abs(g[i] - out[i] - k * a[i]) < 1e-5, "sample \(b), feature \(i)") }
        }
    }

    @Test("tangent is the gradient of the loss with the features normalised to their length (finite differences)")
    func normalisedLoss() {
        // L(f) = c · (‖a‖ f / ‖f‖), linear in the normalised features; its gradient at f = a is c less its part along a.
        let n = 12
        let c = FiniteDifferences.values(n, seed: 3), a = FiniteDifferences.values(n, seed: 4).map { abs($0) + 0.2 }
        let length = a.reduce(0) { $0 + Double($1) * Double($1) }.squareRoot()
        func loss(_ f: [Float]) -> Double {
            let norm = f.reduce(0) { $0 + Double($1) * Double($1) }.squareRoot()
            return zip(c, f).reduce(0) { $0 + Double($1.0) * Double($1.1) } * length / norm
        }
        var tangent = c
        FeatureGradient.removeRadial(&tangent, along: a, batch: 1, features: n)
        let e: Float = 1e-3
        for i in 0..<n {
            var p = a, m = a
            p[i] += e; m[i] -= e
            let numeric = (loss(p) - loss(m)) / Double(2 * e)
            #expect(abs(Double(tangent[i]) - numeric) < 2e-3 * (1 + abs(numeric)), "feature \(i): \(tangent[i]) vs \(numeric)")
        }
    }

    @Test("a sample whose traces are all zero keeps its gradient")
    func silentSample() {
        let n = 5
        let g: [Float] = [1, -2, 3, 0.5, 4], a = [Float](repeating: 0, count: n)
        var out = g
        FeatureGradient.removeRadial(&out, along: a, batch: 1, features: n)
        #expect(out == g)
    }

    @Test("in a network: the same outputs and classifier gradients, other convolution gradients; full is the default")
    func inNetwork() throws {
        let spec = try NetworkSpec(parsing: "2x8x8:c3-a2-c4-a2-fcn5")
        let frame = Tensor(shape: [1, 2, 8, 8])
        for i in 0..<frame.count { frame.data[i] = Float((i * 7) % 5) * 8 }
        let δ = Tensor(shape: [1, 5])
        for (i, v) in [0.3, -0.5, 0.1, 0.4, -0.3].enumerated() { δ.data[i] = Float(v) }
        func run(_ f: FeatureGradient?) -> (outputs: [Float], gradients: [String: [Float]]) {
            let net = Network(spec: spec, seed: 11)
            if let f { net.featureGradient = f }
            net.reset(batchSize: 1, mode: .online, training: false)
            var outputs: [Float] = []
            for _ in 0..<6 {
                outputs += net.step(frame).values
                net.backwardStep(δ)
            }
            net.collectGradients()
            return (outputs, Dictionary(uniqueKeysWithValues: net.parameters.map { ($0.name, $0.gradient.values) }))
        }
        let full = run(nil), explicit = run(.full), tangent = run(.tangent)
        #expect(full.outputs == explicit.outputs && full.gradients == explicit.gradients)
        #expect(tangent.outputs == full.outputs)
        for name in ["fc.weight", "fc.bias", "fc.gain"] { #expect(tangent.gradients[name] == full.gradients[name], "\(name)") }
        let conv = try #require(full.gradients["conv2.weight"])
        #expect(conv.contains { $0 != 0 }, "the convolution learns at all")
        #expect(tangent.gradients["conv2.weight"] != conv)
    }
}
