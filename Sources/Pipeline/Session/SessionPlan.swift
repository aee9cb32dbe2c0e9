import DVSEvents
import SNN
import Tensors
import Training

/// Everything a learning session is built from besides its event source: what `ottt live`, `ottt replay`,
/// `ottt demo`, the benchmarks and the tests describe, and `LearningSession` assembles.
public struct SessionPlan {
    /// Binning, learning, reset, class names. A fresh learner, a model or a given learner run with these (the
    /// sensor is the source's, the network the learner's); a journal or a running checkpoint brings its own.
    public var settings: SessionSettings
    public var start: LearnerStart
    /// What the user chose of the optimizer: a model continues with its saved optimizer (kind, rate, momentum and
    /// state) except where chosen; a fresh learner takes the settings' values.
    public var optimizerChoice = OptimizerChoice()
    /// Labels from a file (`.schedule`), or none. A journal and teaching bring their own.
    public var labels: LabelFeed = .none
    /// Keys and a script that set the label while the stream runs (learning is on with them).
    public var teaching: Teaching?
    /// Writes the events the learner saw to this AEDAT 4 file, with its journal (`SessionJournal.path`) and its
    /// starting checkpoint (`FILE.init.safetensors`), so that a replay reproduces the session bit for bit.
    public var record: String?
    /// Saves a running checkpoint here at the end (weights, neuron state, stream position).
    public var save: String?
    /// Stops once this much of the stream (from where the run starts) has been learned from.
    public var stopAfter: Microseconds?
    /// Replays a file paced at this speed (nil: as it comes — a camera, a simulator, a benchmark's source).
    public var pace: ReplaySpeed?
    /// The stream's pace relative to real time for the lag figure when it is not paced here (1 for a camera).
    public var realTimeSpeed: Double?
    /// What happens when the network falls behind (a journal's replay always blocks).
    public var whenBehind: BackpressurePolicy = .block
    /// Frames between the binner and the network.
    public var frameCapacity = 8
    /// Threads for the engine's kernels (an engine learner only): nil for 1 on a network under 50 M multiply-adds
    /// a step (the reader and binner need the other cores), else all cores.
    public var threads: Int?
    /// What the stream is called in running checkpoints (a file path, a camera).
    public var sourceName: String
    public var clock: any PipelineClock = SystemClock()

    public init(settings: SessionSettings, start: LearnerStart, sourceName: String) {
        self.settings = settings
        self.start = start
        self.sourceName = sourceName
    }
}

extension SessionPlan {
    /// Sets the threads the engine uses for `network` (`Parallel.setWidth`): `threads`, or when nil 1 for a network
    /// under 50 M multiply-adds a step (batch 1 work is too small to share, and the reader and binner threads need
    /// the other cores), else all cores.
    public static func setEngineThreads(_ threads: Int?, for network: Network) {
        Parallel.setWidth(threads ?? (network.multiplyAddsPerStep < 50_000_000 ? 1 : Parallel.cores))
    }
}

/// The optimizer values a user gave (nil: not given).
public struct OptimizerChoice: Sendable, Equatable {
    public var kind: OptimizerKind?
    public var learningRate: Float?
    public var momentum: Float?
    /// The standardised weights' rate (`Optimizer.standardizedRate`); not given, a model steps every weight at its
    /// one rate, as it was trained.
    public var standardizedRate: Float?

    public init(kind: OptimizerKind? = nil, learningRate: Float? = nil, momentum: Float? = nil,
                standardizedRate: Float? = nil) {
        self.kind = kind
        self.learningRate = learningRate
        self.momentum = momentum
        self.standardizedRate = standardizedRate
    }
}

/// Where a session's learner comes from.
public enum LearnerStart {
    /// A new engine learner on `spec` with weights from `seed`, learning as the settings say (`LearningRecipe`).
    case fresh(NetworkSpec, seed: UInt64)
    /// An engine checkpoint (`ottt train`, a demo, `--save`): its weights, optimizer state and neuron state are the
    /// start, the stream starts from its first event.
    case model(String)
    /// A running checkpoint (`--save`) to continue: its settings, its learner (loaded into `learner` when one is
    /// given, else an engine learner), and the stream from where it stopped (the events before are skipped unpaced).
    case resume(String, learner: (any OnlineLearner)? = nil)
    /// A recorded session's journal (`SessionJournal.path`), in `directory`: its settings, labels, merged and
    /// dropped bins, from its starting checkpoint — loaded into `learner` when one is given, else an engine learner.
    case journal(SessionJournal, directory: String, learner: (any OnlineLearner)? = nil)
    /// A learner made by the caller (a demo's phases share one; tests use small learners), as it is.
    case learner(any OnlineLearner)
}

/// Teaching while the stream runs: keys 0–9 (`KeyboardTeacher`) and a script (`ScriptTeacher`).
public struct Teaching {
    /// Where keys come from (a raw terminal, a test's keys); nil for no keyboard teaching.
    public var keys: (any KeyInput)?
    /// A teaching script's path, or `-` for standard input.
    public var script: String?

    public init(keys: (any KeyInput)? = nil, script: String? = nil) {
        self.keys = keys
        self.script = script
    }
}
