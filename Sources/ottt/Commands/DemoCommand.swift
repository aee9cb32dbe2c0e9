import DVSEvents
import DVSSimulator
import Foundation
import Pipeline
import SNN
import Training

/// `ottt demo`: the whole system with no camera and no dataset. The simulator makes a labelled event stream, the
/// always-on learner bins it, predicts every bin and learns online with OTTT (batch 1, forward in time), then a
/// held-out stream it never learned from measures what it knows.
struct DemoCommand: Command {
    static let name = "demo"
    static let abstract = "Watch the always-on learner master a simulated task in a few minutes."
    static var usage: String { """
    usage: ottt demo [--task digits|motion] [--train N] [--test N] [--seed S] [OPTIONS]

    The simulator (a DVS pixel model over rendered scenes) streams labelled samples: N-MNIST-like digits seen
    through three saccades, or a pattern moving in one of 8 directions or turning (10 classes each). The learner
    bins the events every Δt, steps a spiking network once per bin with its state carried, predicts from the
    running output sum and scores each bin before it learns from it (test-then-train). Learning is OTTT, forward
    in time with batch 1: every bin's gradient comes from that bin and the presynaptic traces, and the gradients
    of a labelled stretch are summed into one Adam update when the stream falls silent after it or 100 ms have
    passed (OTTT_A; --update bin makes one update per bin, OTTT_O), on inputs divided by a running RMS: the
    recipe `ottt live` and `ottt replay` learn with too. Then learning stops and a held-out stream (another seed: new scenes, new noise,
    another sensor's mismatch) is classified; a sample's prediction is the one at its last bin. The model is
    saved for `ottt replay --model`.

    Options:
      --task T        digits (default) or motion
      --train N       samples to learn from (default 1000 for digits, 2500 for motion)
      --test N        held-out samples (default 300)
      --seed S        seed of the training stream and the initial weights (default 1); held out: S + 1000
      --dt D          bin width (default 10ms for digits, 30ms for motion)
      --size N|WxH    sensor size (default 32)
      --out DIR       where the model goes (default ottt-demo)
    Network (--net, --classes; default small32: 2x32x32:c32-a2-c64-a2-fc10):
    \(NetworkOptions.usage)
    Learning:
    \(LearningOptions.usage)
    Output (lines: a line every 100 samples):
    \(OutputOptions.usage)
    \(WebOptions.usage)

    Example:
      ottt demo --task motion
      ottt demo --web 8080          # and open http://127.0.0.1:8080/
    """
    }

    let task: SyntheticTask
    let trainSamples: Int
    let testSamples: Int
    let seed: UInt64
    /// The sessions' settings (binning, learning rate, reset, class names); the learning phase turns `learn` on.
    let settings: SessionSettings
    var learningRate: Float { settings.learningRate }
    /// `--classifier` and the other learning words.
    let learning: LearningOptions
    var binWidth: Microseconds { settings.binWidth }
    let sensor: SensorSize
    let network: NetworkOptions
    let outDirectory: String
    let output: SessionOptions.OutputMode
    let web: WebOptions?

    init(arguments: Arguments) throws {
        var a = arguments
        let taskName = try a.option("task") ?? "digits"
        guard let task = SyntheticTask.named(taskName), SyntheticTask.builtIn.contains(where: { $0.name == taskName }) else {
            throw UsageError("--task: use digits or motion, not '\(taskName)'")
        }
        self.task = task
        let recipe = Recipe.of(task)
        trainSamples = try a.positiveInt("train", default: recipe.trainSamples)
        testSamples = try a.positiveInt("test", default: 300)
        seed = try a.option("seed", default: 1) { UInt64($0) }
        let binWidth = try a.duration("dt", default: recipe.binWidth)
        sensor = try a.option("size", default: task.defaultSize, SynthCommand.parseSize)
        network = try NetworkOptions(&a)
        if network.model != nil { throw UsageError("--model: the demo learns a fresh network; use ottt replay --model") }
        learning = try LearningOptions(&a)
        outDirectory = try a.option("out") ?? "ottt-demo"
        output = try OutputOptions(&a).mode
        web = try WebOptions.parse(&a)
        try a.finish()
        var settings = SessionSettings(sensor: sensor, binWidth: binWidth, learn: true, decay: 0.9,
                                       reset: DemoCommand.reset, labelNames: task.classNames)
        learning.apply(to: &settings)
        self.settings = settings
    }

    /// Silence between samples, and the reset policy that uses it: the learner never sees a label boundary, only
    /// a quiet stream, as a camera would give it. The gap is at least 30 ms and makes a sample and its gap a whole
    /// number of bins, so that one bin is all silence.
    static func gap(sampleDuration: Microseconds, binWidth: Microseconds) -> Microseconds {
        let bins = (sampleDuration + 30_000 + binWidth - 1) / binWidth
        return bins * binWidth - sampleDuration
    }
    static let reset = ResetPolicy.silence(20_000)

    /// What the demo uses for a task unless told otherwise.
    struct Recipe {
        var trainSamples: Int
        var binWidth: Microseconds

        static func of(_ task: SyntheticTask) -> Recipe {
            task.name == "motion" ? Recipe(trainSamples: 2500, binWidth: 30_000) : Recipe(trainSamples: 1000, binWidth: 10_000)
        }
    }

    /// What a demo run measured.
    struct Outcome {
        var train: PhaseResult
        var test: PhaseResult
        var modelPath: String
        var seconds: Double
    }

    func run() throws {
        let outcome = try perform()
        let (train, test) = (outcome.train, outcome.test)
        let heldOut = test.samples.accuracy ?? 0
        if output == .json {
            let summary: [String: Any] = [
                "task": task.name, "seed": seed, "train_samples": trainSamples, "test_samples": testSamples,
                "train_rolling_accuracy": train.samples.rollingAccuracy ?? 0, "held_out_accuracy": heldOut,
                "held_out_bin_accuracy": test.bins.accuracy ?? 0, "seconds": outcome.seconds, "model": outcome.modelPath,
            ]
            print(String(decoding: try JSONSerialization.data(withJSONObject: summary, options: [.sortedKeys]), as: UTF8.self))
            return
        }
        print("""

        held-out accuracy \(percent(heldOut)) over \(test.samples.scored) samples it never learned from \
        (per bin \(percent(test.bins.accuracy ?? 0))); while learning, last 100 samples \
        \(percent(train.samples.rollingAccuracy ?? 0))
        \(test.samples.matrix.table(names: task.classNames))
        model saved to \(outcome.modelPath) · \(String(format: "%.0f", outcome.seconds)) s in all

        Next, try:
        \(nextCommands(model: outcome.modelPath).map { "  " + $0 }.joined(separator: "\n"))
          ottt train --dataset cifar10dvs --data DIR   # the paper's network and preset
          ottt devices && ottt live --learn --teach    # with an iniVation camera attached
        """)
    }

    /// The task's own next steps: make a labelled recording the model never saw, replay it with the saved model (at
    /// the Δt it learned with, forgetting the state in the silence between samples as it did), then the other
    /// task. Every path is absolute, so that the commands run from any directory.
    func nextCommands(model: String) -> [String] {
        let dt = "--dt \(Arguments.show(binWidth)) --reset silence:20ms"
        let model = ReplayCommand.absolute(model)
        let stream = ReplayCommand.absolute((outDirectory as NSString).appendingPathComponent("\(task.name)-stream"))
        let (seed, gap) = task.name == "motion" ? (7, "30ms") : (2, "50ms")
        return ["ottt synth --task \(task.name) --samples 20 --seed \(seed) --stream --gap \(gap) --out \(stream)",
                "ottt replay \(stream)/stream.aedat4 --model \(model) --label-file \(stream)/stream_labels.csv \(dt)",
                task.name == "motion" ? "ottt demo                                  # the digits task" : "ottt demo --task motion"]
    }

    /// Learns from the training stream, saves the model, classifies the held-out stream.
    func perform() throws -> Outcome {
        let spec = try learning.freshSpec(network)
        guard spec.classes >= task.classCount else {
            throw UsageError("--net: \(spec.classes) outputs for a task of \(task.classCount) classes")
        }
        try FileManager.default.createDirectory(atPath: outDirectory, withIntermediateDirectories: true)
        let modelPath = (outDirectory as NSString).appendingPathComponent("\(task.name).safetensors")
        let learner = LearningSession.engineLearner(network: Network(spec: spec, seed: seed), settings: settings)
        let started = Date()
        let web = self.web.map { WebConsole(options: $0, sensor: sensor) }
        defer { web?.stop() }
        say("ottt demo: \(task.name), \(task.classCount) classes (\(task.classNames.joined(separator: " "))); "
            + "network \(spec); learning online from \(trainSamples) simulated samples, then \(testSamples) held out")
        let train = try phase("learn", samples: trainSamples, seed: seed, learner: learner, learn: true, web: web)
        try learner.saveCheckpoint(to: modelPath, metadata: [
            "demo.task": task.name, "demo.seed": String(seed), "demo.samples": String(trainSamples),
        ])
        let test = try phase("held out", samples: testSamples, seed: seed &+ 1000, learner: learner, learn: false, web: web)
        return Outcome(train: train, test: test, modelPath: modelPath, seconds: Date().timeIntervalSince(started))
    }

    struct PhaseResult {
        var samples: SampleAccuracy
        var bins: PrequentialMetrics
    }

    /// Streams `samples` simulated samples through the learner, learning or not, and scores every sample.
    private func phase(_ name: String, samples: Int, seed: UInt64, learner: OnlineOTTTLearner, learn: Bool,
                       web: WebConsole?) throws -> PhaseResult {
        let simulation = SimulationSettings(sensor: sensor)
        let generator = SampleGenerator(task: task, settings: simulation, seed: seed)
        let gap = DemoCommand.gap(sampleDuration: simulation.sampleDuration, binWidth: binWidth)
        let period = simulation.sampleDuration + gap
        let schedule = LabelSchedule((0..<samples).map { i in
            LabelSchedule.Interval(start: Microseconds(i) * period, end: Microseconds(i) * period + simulation.sampleDuration,
                                   label: generator.label(ofSample: i))
        })
        let source = SyntheticStream(task: task, settings: simulation, seed: seed, sampleCount: samples, gap: gap)
        learner.resetState()
        var plan = SessionPlan(settings: settings, start: .learner(learner), sourceName: "demo \(task.name) \(name)")
        plan.settings.learn = learn
        plan.labels = .schedule(schedule)
        let session = try LearningSession(source: web?.tap(source) ?? source, plan: plan)
        try web?.start(session, title: "demo · \(task.name) · \(name)")
        let context = OutputContext(title: "demo · \(task.name) · \(name)", classNames: task.classNames,
                                    input: learner.inputShape, binWidth: binWidth)
        let view: TerminalView? = output == .view ? TerminalView(context: context) : nil
        var accuracy = SampleAccuracy(classes: task.classCount)
        let started = Date()
        let summary = try session.run { frame, prediction, status in
            view?.show(frame, prediction, status)
            web?.observe(frame, prediction, status)
            guard let (label, predicted) = accuracy.observe(
                predicted: prediction.predicted, in: schedule.interval(from: prediction.start, to: prediction.end)) else { return }
            report(name, accuracy: accuracy, total: samples, label: label, predicted: predicted, started: started)
        }
        if let (label, predicted) = accuracy.close() {
            report(name, accuracy: accuracy, total: samples, label: label, predicted: predicted, started: started)
        }
        view?.finish(summary)
        if let reason = summary.status.stopReason { say("ottt demo: \(reason)") }
        return PhaseResult(samples: accuracy, bins: session.stage.metrics)
    }

    private func report(_ phase: String, accuracy: SampleAccuracy, total: Int, label: Int, predicted: Int, started: Date) {
        let n = accuracy.scored
        switch output {
        case .json:
            print("{\"phase\":\"\(phase)\",\"sample\":\(n - 1),\"label\":\(label),\"predicted\":\(predicted),"
                  + "\"rolling_accuracy\":\(accuracy.rollingAccuracy ?? 0)}")
        case .lines where n % 100 == 0 || n == total:
            let elapsed = Date().timeIntervalSince(started)
            print("\(phase): \(n)/\(total) samples · last 100: \(percent(accuracy.rollingAccuracy ?? 0)) · all: "
                  + "\(percent(accuracy.accuracy ?? 0)) · \(String(format: "%.0f", Double(n) / max(elapsed, 1e-9))) samples/s")
        default:
            break
        }
    }

    private func say(_ line: String) {
        if output == .json { printError(line) } else { print(line) }
    }

    private func percent(_ x: Double) -> String { String(format: "%.1f %%", x * 100) }
}
