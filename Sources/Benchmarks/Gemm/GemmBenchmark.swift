import Foundation
import SNN
import Tensors

/// This machine's matrix-product rate through the engine's own path (`MatrixProduct.run`): a 1024³ product, and
/// exactly the products a preset makes in one training step, with the bound those products alone put on
/// training speed.
public enum GemmBenchmark {
    public struct Options: Sendable {
        /// Presets whose products are timed (none: only the square product).
        public var presets: [NetworkSpec] = []
        /// Names of `presets`, for the report.
        public var presetNames: [String] = []
        /// Batch size of the products.
        public var batch = 1
        /// Time steps per sample for the bound.
        public var steps = 10
        /// Runs per product; the best is kept.
        public var runs = 5
        public init() {}
    }

    /// One product's figure.
    public struct Product: Codable, Equatable, Sendable {
        public var product: String
        public var m: Int, n: Int, k: Int
        /// The product as written (`64×4096 ← (288×64)ᵀ · 288×4096`).
        public var shape: String
        public var seconds: Double
        public var gflops: Double
        public var threads: Int

        enum CodingKeys: String, CodingKey { case product, m, n, k, shape, seconds, gflops, threads }

        public init(label: String, product: MatrixProduct, seconds: Double, threads: Int) {
            self.product = label
            (m, n, k) = (product.m, product.n, product.k)
            shape = product.description
            self.seconds = seconds
            gflops = 2 * Double(product.multiplyAdds) / seconds / 1e9
            self.threads = threads
        }

        public var line: String {
            // Padded in Swift: Foundation's %-42@ on Linux ignores the width.
            product.padding(toLength: max(product.count + 1, 56), withPad: " ", startingAt: 0)
                + shape.padding(toLength: max(shape.count, 26), withPad: " ", startingAt: 0)
                + String(format: "%9.1f µs %7.1f GFLOP/s", 1e6 * seconds, gflops)
        }
    }

    /// One preset's step: the sum of its products and the training speed they alone allow.
    public struct Bound: Codable, Equatable, Sendable {
        public var preset: String
        public var batch: Int, steps: Int
        public var stepProductsSeconds: Double
        public var gradientProductsSeconds: Double
        /// Samples/s at `steps` time steps with the forward counted dense, and without the forward.
        public var boundSamplesPerSecond: Double
        public var boundWithoutForwardSamplesPerSecond: Double
        public var threads: Int

        enum CodingKeys: String, CodingKey {
            case preset, batch, steps, threads
            case stepProductsSeconds = "step_products_seconds", gradientProductsSeconds = "gradient_products_seconds"
            case boundSamplesPerSecond = "bound_samples_per_s"
            case boundWithoutForwardSamplesPerSecond = "bound_without_forward_samples_per_s"
        }

        public var line: String {
            String(format: "%@ B=%d: one step's products %.0f µs (gradients %.0f µs): ", preset, batch,
                   1e6 * stepProductsSeconds, 1e6 * gradientProductsSeconds)
                + String(format: "at most %.2f samples/s at T=%d from the products alone, %.2f without the forward",
                         boundSamplesPerSecond, steps, boundWithoutForwardSamplesPerSecond)
        }
    }

    /// What a run reports, in order.
    public enum Report: Sendable {
        case product(Product)
        case bound(Bound)
    }

    /// The square product whose rate is this machine's ceiling for the engine's products.
    public static let square = MatrixProduct(.none, .none, m: 1024, n: 1024, k: 1024)

    /// Times the square product, then each preset's products, handing each figure to `report`.
    public static func run(_ options: Options, report: (Report) throws -> Void) rethrows {
        try report(.product(timed("square", square, runs: options.runs)))
        for (spec, preset) in zip(options.presets, options.presetNames) {
            let network = Network(spec: spec, seed: 1)
            var forward = 0.0, gradients = 0.0
            for (i, layer) in ConvolutionProducts.of(network, batch: options.batch).enumerated() {
                for round in layer.rounds {
                    // "conv2", or "conv2 (3×6 samples)" when the batch is convolved in several rounds.
                    let name = layer.rounds.count == 1 && round.count == 1
                        ? "\(preset) conv\(i + 1)" : "\(preset) conv\(i + 1) (\(round.count)×\(round.samples) samples)"
                    let rounds = Double(round.count)
                    func time(_ what: String, _ p: MatrixProduct) throws -> Double {
                        let figure = timed("\(name) \(what)", p, runs: options.runs)
                        try report(.product(figure))
                        return rounds * figure.seconds
                    }
                    if let p = round.forward { forward += try time("forward", p) }
                    gradients += try time("weight gradient", round.weightGradient)
                    if let p = round.inputGradient { gradients += try time("input gradient", p) }
                }
            }
            let (batch, steps) = (Double(options.batch), Double(options.steps))
            try report(.bound(Bound(preset: preset, batch: options.batch, steps: options.steps,
                                stepProductsSeconds: forward + gradients, gradientProductsSeconds: gradients,
                                boundSamplesPerSecond: batch / (steps * (forward + gradients)),
                                boundWithoutForwardSamplesPerSecond: batch / (steps * gradients),
                                threads: Parallel.width)))
        }
    }

    /// Times `product` and names it `label`.
    public static func timed(_ label: String, _ product: MatrixProduct, runs: Int) -> Product {
        Product(label: label, product: product, seconds: time(product, runs: runs), threads: Parallel.width)
    }

    /// Seconds per call of `product`, the best over `runs` runs of repeated calls lasting at least 0.2 s each, on
    /// warm operands.
    public static func time(_ product: MatrixProduct, runs: Int) -> Double {
        let (na, nb, nc) = product.sizes
        let a = Tensor(shape: [na]), b = Tensor(shape: [nb]), c = Tensor(shape: [nc])
        var g = SeededGenerator(seed: 5)
        a.fillNormal(std: 1, using: &g); b.fillNormal(std: 1, using: &g)
        for _ in 0..<3 { product.run(a.data, b.data, c.data, beta: 0) }
        var best = Double.infinity
        for _ in 0..<runs {
            let start = Clocks.wall()
            var calls = 0, elapsed = 0.0
            repeat {
                product.run(a.data, b.data, c.data, beta: 0)
                calls += 1
                elapsed = Clocks.wall() - start
            } while elapsed < 0.2
            best = min(best, elapsed / Double(calls))
        }
        return best
    }

    /// How the engine runs its products here, for the report's heading.
    public static var setting: String {
        "OpenBLAS \(BLAS.coreName) kernel at 1 thread, products split over \(Parallel.width) engine threads"
    }
}
