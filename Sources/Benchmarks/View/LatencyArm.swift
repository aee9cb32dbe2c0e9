import Pipeline

/// The bins timed in one arm of an A/B comparison (the learner alone, or with the view attached), pooled over
/// the alternating rounds, and the figures `ViewLatencyBenchmark` reports for it. Times in seconds.
public struct LatencyArm: Sendable {
    /// Whole-bin wall times, learner-thread CPU times and step (predict + learn) wall times, one per bin.
    public private(set) var wall: [Double] = []
    public private(set) var cpu: [Double] = []
    public private(set) var step: [Double] = []
    /// Over the arm's bins: the process's CPU time (every thread: learner, view sender, clients' senders,
    /// server), the learner thread's, and the wall time.
    public private(set) var processCPU = 0.0
    public private(set) var learnerCPU = 0.0
    public private(set) var seconds = 0.0

    public init() {}

    public mutating func add(wall: Double, cpu: Double, step: Double) {
        self.wall.append(wall)
        self.cpu.append(cpu)
        self.step.append(step)
    }

    /// Adds one stretch of bins' process CPU, learner thread CPU and wall time.
    public mutating func addStretch(processCPU: Double, learnerCPU: Double, wall: Double) {
        self.processCPU += processCPU
        self.learnerCPU += learnerCPU
        seconds += wall
    }

    public var bins: Int { wall.count }

    /// The nearest-rank quantile of `samples` (as `LatencyStats`), 0 when empty.
    static func quantile(_ samples: [Double], _ q: Double) -> Double {
        var stats = LatencyStats(capacity: max(samples.count, 1))
        for s in samples { stats.add(s) }
        return stats.quantile(q) ?? 0
    }

    public var figures: Figures {
        Figures(bins: bins,
                binP50Milliseconds: LatencyArm.quantile(wall, 0.5) * 1e3, binP99Milliseconds: LatencyArm.quantile(wall, 0.99) * 1e3,
                cpuP50Milliseconds: LatencyArm.quantile(cpu, 0.5) * 1e3, cpuP99Milliseconds: LatencyArm.quantile(cpu, 0.99) * 1e3,
                stepP99Milliseconds: LatencyArm.quantile(step, 0.99) * 1e3,
                processCPUPerBinMilliseconds: bins > 0 ? processCPU / Double(bins) * 1e3 : 0,
                otherThreadsPercent: seconds > 0 ? max(0, processCPU - learnerCPU) / seconds * 100 : 0)
    }

    /// One arm's figures, milliseconds.
    public struct Figures: Codable, Equatable, Sendable {
        public var bins: Int
        public var binP50Milliseconds: Double, binP99Milliseconds: Double
        public var cpuP50Milliseconds: Double, cpuP99Milliseconds: Double
        public var stepP99Milliseconds: Double
        public var processCPUPerBinMilliseconds: Double
        /// CPU time of the threads other than the learner's (the view's sender, clients, server, BLAS helpers)
        /// per wall second, in percent of one core: the view's own cost, whatever the learner's speed.
        public var otherThreadsPercent: Double

        enum CodingKeys: String, CodingKey {
            case bins
            case binP50Milliseconds = "bin_p50_ms", binP99Milliseconds = "bin_p99_ms"
            case cpuP50Milliseconds = "cpu_p50_ms", cpuP99Milliseconds = "cpu_p99_ms"
            case stepP99Milliseconds = "step_p99_ms", processCPUPerBinMilliseconds = "process_cpu_per_bin_ms"
            case otherThreadsPercent = "other_threads_cpu_percent"
        }
    }

    /// The view's cost as ratios of `with` to `without` (1.10 is a 10 % rise; nan when `without`'s figure is 0).
    public struct Ratios: Codable, Equatable, Sendable {
        public var binP50: Double, binP99: Double
        public var cpuP50: Double, cpuP99: Double
        public var processCPUPerBin: Double

        public init(with a: Figures, without b: Figures) {
            func r(_ x: Double, _ y: Double) -> Double { y > 0 ? x / y : .nan }
            binP50 = r(a.binP50Milliseconds, b.binP50Milliseconds)
            binP99 = r(a.binP99Milliseconds, b.binP99Milliseconds)
            cpuP50 = r(a.cpuP50Milliseconds, b.cpuP50Milliseconds)
            cpuP99 = r(a.cpuP99Milliseconds, b.cpuP99Milliseconds)
            processCPUPerBin = r(a.processCPUPerBinMilliseconds, b.processCPUPerBinMilliseconds)
        }

        enum CodingKeys: String, CodingKey {
            case binP50 = "bin_p50", binP99 = "bin_p99", cpuP50 = "cpu_p50", cpuP99 = "cpu_p99"
            case processCPUPerBin = "process_cpu_per_bin"
        }
    }
}
