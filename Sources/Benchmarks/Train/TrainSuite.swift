/// `ottt bench train` without `--one`: the matrix-product ceiling, then every case of a plan in a child process,
/// then the memory-against-T sweep.
public enum TrainSuite {
    /// What a run reports, in order.
    public enum Report: Sendable {
        /// The 1024³ product's GFLOP/s in the children's environment.
        case ceiling(Double)
        /// A case is about to run: `done` of `total` so far.
        case starting(TrainCase, done: Int, total: Int)
        case figure(TrainFigure)
        /// The sweep begins (its figures follow as `.figure` unless already measured).
        case sweepStarting(preset: String, batch: Int)
        /// The sweep's figures, sorted as measured.
        case sweep([TrainFigure])
        /// The OpenBLAS kernels and thread counts the children reported.
        case kernels([String])
    }

    public static func run(_ plan: TrainPlan, runner: TrainSuiteRunner, report: (Report) throws -> Void) throws {
        let ceiling = try runner.measureCeiling()
        try report(.ceiling(ceiling))
        var done = 0
        let total = plan.cases.count + plan.memoryCases.count
        var cores = Set<String>()
        func measure(_ c: TrainCase) throws -> TrainFigure {
            try report(.starting(c, done: done, total: total))
            let f = TrainFigure(run: c, measured: try runner.measure(c), measuredCeiling: ceiling)
            done += 1
            cores.insert("\(f.measured.openblasCore), \(f.measured.threads) threads")
            try report(.figure(f))
            return f
        }
        var measured: [TrainCase: TrainFigure] = [:]
        for c in plan.cases { measured[c] = try measure(c) }
        if let memory = plan.memory, !plan.memoryCases.isEmpty {
            try report(.sweepStarting(preset: memory.preset, batch: memory.batch))
            var sweep: [TrainFigure] = []
            for c in plan.memoryCases { sweep.append(try measured[c] ?? measure(c)) }
            try report(.sweep(sweep))
        }
        try report(.kernels(cores.sorted()))
    }
}
