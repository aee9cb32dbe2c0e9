import DVSEvents
import EventBinning
import Foundation
import Pipeline
import SNN
import Tensors

/// The options that `ottt replay` and `ottt live` share: the network, binning, learning, recording, teaching and
/// output. Parsed once here so both commands spell them the same.
struct SessionOptions {
    typealias OutputMode = OutputOptions.Mode

    static let usage = """
    Network:
    \(NetworkOptions.usage)
    Learning:
      --learn               learn online from the labels (teaching turns it on)
    \(LearningOptions.usage)
    Binning and prediction:
      --dt DURATION         bin width Δt (default 10ms)
      --resize clean|paper  how bins are resized to the network input (default clean); --normalize for the paper's
                            per-channel mean/std (for models trained offline with it)
      --decay X             decay of the running output sum that predictions are read from (default 0.9)
      --reset never|label|silence:200ms   when the neuron state is cleared (default never)
      --when-behind block|drop|merge      what happens when the network falls behind (default \(BackpressurePolicy.block) for
                            replay, merge for live)
      --save CKPT           at the end, save a running checkpoint (weights, neuron state, stream position)
      --max-gap DURATION    the longest silent gap filled with empty bins and waited out by a paced replay
                            (default 10s); a longer one (a camera reset, a corrupt time) is skipped, counted
      --stop-after DURATION stop once this much of the stream (from where this run starts) has been learned from,
                            as Ctrl-C would: with --save, `ottt replay FILE --resume CKPT` continues from there
      --threads N           threads the network's kernels and matrix products use (default: 1 for networks under
                            50 M multiply-adds a step, where threads cost more than they give at batch 1 and the
                            reader and binner need the other core; else all cores)
    Recording and teaching:
      --record FILE.aedat4  write the events the learner saw, and FILE.aedat4.journal (labels, settings) and
                            FILE.aedat4.init.safetensors (the starting weights): `ottt replay FILE.aedat4`
                            reproduces the session's predictions and weights bit for bit
      --labels FILE         class names, one per line
      --teach               keys 0–9 set the current label (names from --labels), space clears it, q quits; a
                            class never taught before starts being learned at once (--classes N makes room)
      --teach-from FILE|-   label changes from a file or stdin, one per line: `now 3`, `2.5s wave`, `now none`
                            (times from the stream's first event)
    Output:
    \(OutputOptions.usage)
    """

    var network: NetworkOptions
    var learning: LearningOptions
    var model: String? { network.model }
    /// Binning, learning, reset and class names, parsed straight into the session's one settings type (the sensor
    /// and the network are the session builder's to fill in).
    var settings = SessionSettings(sensor: SensorSize(width: 1, height: 1), binWidth: 10_000, learn: false)
    var whenBehind: BackpressurePolicy?
    var save: String?
    var stopAfter: Microseconds?
    var record: String?
    var teach = false
    var teachFrom: String?
    var output: OutputMode
    var threads: Int?

    init(_ a: inout Arguments) throws {
        network = try NetworkOptions(&a)
        learning = try LearningOptions(&a)
        if network.model != nil, learning.normalizedClassifier != nil {
            throw UsageError("--classifier chooses a fresh network's classifier; a --model has its own")
        }
        learning.apply(to: &settings)
        settings.learn = a.flag("learn")
        settings.binWidth = try a.duration("dt", default: settings.binWidth)
        settings.resize = try a.option("resize", default: settings.resize) { ResizeMode(rawValue: $0) }
        settings.normalize = a.flag("normalize")
        settings.decay = try a.option("decay", default: settings.decay) { Float($0).flatMap { $0 >= 0 && $0 <= 1 ? $0 : nil } }
        if let r = try a.option("reset") {
            if r.hasPrefix("silence:"), case .failure(let p) = DurationText.parse(String(r.dropFirst(8))) {
                throw DurationText.error(p, flag: "--reset silence:", text: String(r.dropFirst(8)))
            }
            do { settings.reset = try ResetPolicy(parsing: r) } catch { throw UsageError("--reset: \(error.found); use never, label or silence:200ms") }
        }
        whenBehind = try a.option("when-behind").map { w in
            guard let p = BackpressurePolicy(rawValue: w) else { throw UsageError("--when-behind: use block, drop or merge") }
            return p
        }
        settings.maxGap = try a.option("max-gap", default: settings.maxGap) { parseDuration($0).flatMap { $0 > 0 ? $0 : nil } }
        save = try a.option("save")
        stopAfter = try a.duration("stop-after")
        record = try a.option("record")
        if let r = record, !r.lowercased().hasSuffix(".aedat4") { throw UsageError("--record writes AEDAT 4: name the file *.aedat4") }
        if let path = try a.option("labels") {
            do { settings.labelNames = try readLabelNames(path: path) } catch { throw CommandFailure("\(error)") }
        }
        threads = try SessionOptions.threadsOption(&a)
        teach = a.flag("teach")
        teachFrom = try a.option("teach-from")
        if teach && teachFrom == "-" { throw UsageError("--teach reads keys from the terminal; it cannot be used with --teach-from -") }
        output = try OutputOptions(&a).mode
        if teach || teachFrom != nil { settings.learn = true }
    }

    /// Whether a teacher (keys or a script) gives the labels.
    var teaches: Bool { teach || teachFrom != nil }

    /// A fresh network made for `schedule` gets its class count from it (DVS128 Gesture's label files have 11
    /// classes, the presets 10), unless --classes or a --model says otherwise.
    mutating func sizeClasses(for schedule: LabelSchedule) throws {
        guard model == nil, network.classes == nil, let top = schedule.intervals.map(\.label).max() else { return }
        let classes = max(top + 1, settings.labelNames.count)
        guard case .linear(let outputs, _)? = try networkSpec().layers.last, outputs != classes else { return }
        network.classes = classes
    }

    /// `--threads N`, a positive number, if given.
    static func threadsOption(_ a: inout Arguments) throws -> Int? {
        try a.positiveInt("threads")
    }

    /// Sets the threads the engine uses for `network` as a session does (for the benchmarks not built as sessions).
    static func configureThreads(for network: Network, threads: Int?) {
        SessionPlan.setEngineThreads(threads, for: network)
    }

    /// The network the options describe (for a fresh learner).
    func networkSpec() throws -> NetworkSpec { try network.spec() }

    /// The session these options describe on a stream called `sourceName`, starting from `start` (nil: the
    /// model given, or a fresh network).
    func plan(sourceName: String, start: LearnerStart? = nil, whenBehind fallback: BackpressurePolicy) throws -> SessionPlan {
        // Not `try start ?? … ?? .fresh(networkSpec(), …)`: a bad --net thrown from inside that autoclosure
        // crashed (a bad pointer copying the LearnerStart) instead of failing with the usage error.
        let chosen: LearnerStart
        if let start { chosen = start } else if let model { chosen = .model(model) } else {
            chosen = .fresh(try learning.freshSpec(network), seed: network.seed)
        }
        let start = chosen
        var plan = SessionPlan(settings: settings, start: start, sourceName: sourceName)
        plan.optimizerChoice = learning.choice
        plan.whenBehind = whenBehind ?? fallback
        plan.record = record
        plan.save = save
        plan.stopAfter = stopAfter
        plan.threads = threads
        return plan
    }
}
