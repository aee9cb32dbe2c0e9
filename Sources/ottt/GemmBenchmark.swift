import Foundation
import SNN
import Tensors

/// `ottt bench gemm`: this machine's matrix-product ceiling, measured on a square product and on exactly the
/// products a preset makes in one training step, and the bound those products alone put on training speed.
struct GemmBenchmark: Command {
    static let name = "gemm"
    static let abstract = "Matrix-product ceiling here: sgemm GFLOP/s on 1024³ and on a preset's own products."
    static let usage = """
    usage: ottt bench gemm [--presets P,…] [--batch B] [--threads N] [--steps T] [--runs R] [--json]
           ottt bench gemm --square [--threads N] [--runs R] [--json]

    Times single-precision matrix products through the engine's own path (BLAS.gemm: OpenBLAS at one thread, a
    large product split over the engine's threads): a 1024³ product, then every product that each convolution of
    the presets makes in one training step at batch B (forward Y = (Wᵀ)ᵀ·col(x), weight gradient dW += dY·col(a)ᵀ,
    input gradient col = Wᵀ·dY; the shapes come from the network's own convolutions, chunks included). Each figure
    is the best of R runs (default 5) of repeated calls on warm operands, so it is what the products can reach at
    best here. Then the sum for one step, and the samples/s at T steps (default 10) that the products alone would
    allow: an upper bound on OTTT training (everything else the engine does is extra time), with the forward
    counted dense and without the forward (deep layers take the sparse path at low firing rates). Compare with
    `ottt bench train`, and ANCHORS.md's ceilings (which were measured on a machine with AVX-512).

      --presets P,…  paper-cifar10dvs, small32, small48 (default small32,paper-cifar10dvs)
      --batch B      batch size of the products (default 1)
      --threads N    threads of the engine (default all cores)
      --steps T      time steps per sample for the bound (default 10)
      --runs R       runs per product, the best kept (default 5)
      --json         one JSON object per product and per preset
      --square       only the 1024³ product (what `ottt bench train` measures as the ceiling)

    Example:
      ottt bench gemm --presets small32 --batch 16
    """

    let presets: [String]
    let batch: Int
    let threads: Int?
    let steps: Int
    let runs: Int
    let json: Bool
    let squareOnly: Bool

    init(arguments: Arguments) throws {
        var a = arguments
        presets = try a.option("presets").map { $0.split(separator: ",").map(String.init) }
            ?? ["small32", "paper-cifar10dvs"]
        for p in presets where NetworkSpec.preset(p) == nil {
            throw UsageError("no preset '\(p)' (\(NetworkSpec.presetNames.joined(separator: ", ")))")
        }
        batch = try a.positiveInt("batch", default: 1)
        threads = try SessionOptions.threadsOption(&a)
        steps = try a.positiveInt("steps", default: 10)
        runs = try a.positiveInt("runs", default: 5)
        json = a.flag("json")
        squareOnly = a.flag("square")
        try a.finish()
    }

    func run() throws {
        if let threads { Parallel.setWidth(threads) }
        let setting = "OpenBLAS \(BLAS.coreName) kernel at 1 thread, products split over \(Parallel.width) engine threads"
        if !json { print("# \(setting); best of \(runs) runs, warm operands") }
        let square = MatrixProduct(.none, .none, m: 1024, n: 1024, k: 1024)
        _ = timeAndReport("square", square)
        if squareOnly { return }
        for preset in presets {
            let network = Network(spec: NetworkSpec.preset(preset)!, seed: 1)
            var forward = 0.0, gradients = 0.0
            for (i, layer) in network.convolutionProducts(batch: batch).enumerated() {
                for round in layer.rounds {
                    // "conv2", or "conv2 (3×6 samples)" when the batch is convolved in several rounds.
                    let name = layer.rounds.count == 1 && round.count == 1
                        ? "\(preset) conv\(i + 1)" : "\(preset) conv\(i + 1) (\(round.count)×\(round.samples) samples)"
                    let rounds = Double(round.count)
                    if let p = round.forward { forward += rounds * timeAndReport("\(name) forward", p) }
                    gradients += rounds * timeAndReport("\(name) weight gradient", round.weightGradient)
                    if let p = round.inputGradient { gradients += rounds * timeAndReport("\(name) input gradient", p) }
                }
            }
            let dense = Double(batch) / (Double(steps) * (forward + gradients))
            let sparse = Double(batch) / (Double(steps) * gradients)
            if json {
                print("{\"preset\": \"\(preset)\", \"batch\": \(batch), \"steps\": \(steps), "
                      + "\"step_products_seconds\": \(forward + gradients), \"gradient_products_seconds\": \(gradients), "
                      + "\"bound_samples_per_s\": \(dense), \"bound_without_forward_samples_per_s\": \(sparse), "
                      + "\"threads\": \(Parallel.width)}")
            } else {
                print(String(format: "%@ B=%d: one step's products %.0f µs (gradients %.0f µs): ", preset, batch,
                             1e6 * (forward + gradients), 1e6 * gradients)
                      + String(format: "at most %.2f samples/s at T=%d from the products alone, %.2f without the forward",
                               dense, steps, sparse))
            }
        }
    }

    /// Seconds per call of `product`, the best over `runs` runs of repeated calls lasting at least 0.2 s each.
    func time(_ product: MatrixProduct) -> Double {
        let (na, nb, nc) = product.sizes
        let a = Tensor(shape: [na]), b = Tensor(shape: [nb]), c = Tensor(shape: [nc])
        var g = SeededGenerator(seed: 5)
        a.fillNormal(std: 1, using: &g); b.fillNormal(std: 1, using: &g)
        for _ in 0..<3 { product.run(a.data, b.data, c.data, beta: 0) }
        var best = Double.infinity
        for _ in 0..<runs {
            let start = DispatchTime.now().uptimeNanoseconds
            var calls = 0, elapsed = 0.0
            repeat {
                product.run(a.data, b.data, c.data, beta: 0)
                calls += 1
                elapsed = Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9
            } while elapsed < 0.2
            best = min(best, elapsed / Double(calls))
        }
        return best
    }

    /// Times `product`, prints its line, and returns its seconds per call.
    func timeAndReport(_ label: String, _ product: MatrixProduct) -> Double {
        let seconds = time(product)
        report(label: label, product: product, seconds: seconds)
        return seconds
    }

    func report(label: String, product: MatrixProduct, seconds: Double) {
        let gflops = 2 * Double(product.multiplyAdds) / seconds / 1e9
        if json {
            print("{\"product\": \"\(label)\", \"m\": \(product.m), \"n\": \(product.n), \"k\": \(product.k), "
                  + "\"seconds\": \(seconds), \"gflops\": \(gflops), \"threads\": \(Parallel.width)}")
        } else {
            // Padded in Swift: Foundation's %-42@ on Linux ignores the width.
            print(label.padding(toLength: max(label.count + 1, 56), withPad: " ", startingAt: 0)
                  + product.description.padding(toLength: max(product.description.count, 26), withPad: " ", startingAt: 0)
                  + String(format: "%9.1f µs %7.1f GFLOP/s", 1e6 * seconds, gflops))
        }
    }
}
