import Benchmarks
import SNN
import Tensors

/// `ottt bench gemm`: this machine's matrix-product ceiling, measured on a square product and on exactly the
/// products a preset makes in one training step, and the bound those products alone put on training speed.
struct BenchGemmCommand: Command {
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
    `ottt bench train`.

      --presets P,…  \(NetworkSpec.presetNames.joined(separator: ", ")) (default small32,paper-cifar10dvs)
      --batch B      batch size of the products (default 1)
      --threads N    threads of the engine (default all cores)
      --steps T      time steps per sample for the bound (default 10)
      --runs R       runs per product, the best kept (default 5)
      --json         one JSON object per product and per preset
      --square       only the 1024³ product (what `ottt bench train` measures as the ceiling)

    Example:
      ottt bench gemm --presets small32 --batch 16
    """

    var options = GemmBenchmark.Options()
    let threads: Int?
    let json: Bool
    let squareOnly: Bool

    init(arguments: Arguments) throws {
        var a = arguments
        let names = try a.option("presets").map { $0.split(separator: ",").map(String.init) }
            ?? ["small32", "paper-cifar10dvs"]
        options.presets = try names.map { p in
            guard let spec = NetworkSpec.preset(p) else {
                throw UsageError("no preset '\(p)' (\(NetworkSpec.presetNames.joined(separator: ", ")))")
            }
            return spec
        }
        options.presetNames = names
        options.batch = try a.positiveInt("batch", default: options.batch)
        threads = try SessionOptions.threadsOption(&a)
        options.steps = try a.positiveInt("steps", default: options.steps)
        options.runs = try a.positiveInt("runs", default: options.runs)
        json = a.flag("json")
        squareOnly = a.flag("square")
        if squareOnly { (options.presets, options.presetNames) = ([], []) }
        try a.finish()
    }

    func run() throws {
        if let threads { Parallel.setWidth(threads) }
        if !json { print("# \(GemmBenchmark.setting); best of \(options.runs) runs, warm operands") }
        try GemmBenchmark.run(options) { report in
            switch report {
            case .product(let p): try BenchOutput.print(p, json: json, line: p.line)
            case .bound(let b): try BenchOutput.print(b, json: json, line: b.line)
            }
        }
    }
}
