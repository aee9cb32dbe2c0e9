import SNN

/// One configuration of the train suite, measured in a child process of its own so that peak RSS is its own.
public struct TrainCase: Hashable, Codable, Sendable {
    public var preset: String
    /// ottt-a, ottt-o, bptt or infer.
    public var rule: String
    public var steps: Int
    public var batch: Int

    public init(preset: String, rule: String, steps: Int, batch: Int) {
        self.preset = preset
        self.rule = rule
        self.steps = steps
        self.batch = batch
    }

    /// The words of `ottt bench train --one …` for this case.
    public func arguments(seconds: Double) -> [String] {
        ["bench", "train", "--one", "--preset", preset, "--rule", rule, "--steps", "\(steps)", "--batch", "\(batch)",
         "--seconds", "\(seconds)", "--json", "--no-check"]
    }

    public var description: String { "\(preset) \(rule) T=\(steps) B=\(batch)" }
}

/// The cases of the train suite: presets × rules × batches × steps, inference at batch 1, and the memory sweep
/// against T.
public struct TrainPlan: Sendable {
    /// The learning rules the suite measures.
    public static let rules = ["ottt-a", "ottt-o", "bptt"]

    public struct Options: Sendable {
        public var presets = NetworkSpec.presetNames
        public var rules = TrainPlan.rules
        public var batches = [1, 16]
        /// Time steps of the speed table (nil: 10, or 5…80 with `full`).
        public var steps: [Int]?
        /// Every preset, rule and batch at T = 5, 10, 20, 40, 80.
        public var full = false
        /// Inference at batch 1 for each preset and T.
        public var infer = true
        /// The memory-against-T sweep's preset and batch (nil: no sweep).
        public var memory: (preset: String, batch: Int)? = ("small32", 16)
        public var memorySteps = [5, 10, 20, 40, 80]
        public init() {}
    }

    public var cases: [TrainCase] = []
    public var memoryCases: [TrainCase] = []
    public var memory: (preset: String, batch: Int)?

    public init(_ options: Options) {
        let steps = options.steps ?? (options.full ? [5, 10, 20, 40, 80] : [10])
        for preset in options.presets {
            for t in steps {
                for b in options.batches {
                    for r in options.rules { cases.append(TrainCase(preset: preset, rule: r, steps: t, batch: b)) }
                }
                if options.infer { cases.append(TrainCase(preset: preset, rule: "infer", steps: t, batch: 1)) }
            }
        }
        // The paper network at batch 8, where OTTT's memory use is usually quoted.
        let paperBatch8 = TrainCase(preset: "paper-cifar10dvs", rule: "ottt-a", steps: 10, batch: 8)
        if options.presets.contains(paperBatch8.preset) && options.rules.contains(paperBatch8.rule) && steps.contains(10)
            && !options.full && !cases.contains(paperBatch8) {
            cases.append(paperBatch8)
        }
        if let m = options.memory {
            memory = m
            memoryCases = options.rules.flatMap { r in
                options.memorySteps.map { TrainCase(preset: m.preset, rule: r, steps: $0, batch: m.batch) }
            }
        }
    }
}
