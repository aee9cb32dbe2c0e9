import Datasets
import Foundation
import Training

/// The tasks `ottt bench rules` and `ottt bench gradients` train on: folders written by `ottt synth` (or any class
/// folders), or `synthetic` (random tensors), each configured by `ottt train`'s flags.
struct BenchTasks {
    struct Task {
        let name: String
        let config: TrainingConfig
        /// How the frames were made (stored in checkpoints so that `ottt eval` rebuilds the same inputs).
        let data: DataConfig
        let train: any SampleSet
        let test: any SampleSet
    }

    static let usage = """
      --tasks LIST      comma-separated: folders written by `ottt synth` (for example data/digits,data/motion;
                        each class folder's first 90% of recordings by name train, the rest test), or synthetic
      Every `ottt train` option of the network, the rule and the optimizer applies (--preset, --net, --steps, --steps-train,
      --batch, --epochs, --optimizer, --lr, --tau, --neuron, --gamma, --dropout, --seed, --frames, --cache, ...);
      the defaults are train's (small32, T 10, batch 16, SGD lr 0.05, 30 epochs, seed 1).
    """

    let folders: [String]
    private let arguments: Arguments

    /// Takes the task words; the other flags are read per task by `load()`.
    init(_ a: inout Arguments) throws {
        folders = try a.option("tasks").map { $0.split(separator: ",").map(String.init) } ?? []
        guard !folders.isEmpty else { throw UsageError("--tasks: give at least one task (a folder written by ottt synth, or synthetic)") }
        arguments = a
        // Parse once now, so that bad flags are usage errors before anything runs; `load` parses again per task.
        var check = a
        let location = try BenchTasks.location(folders[0], &check)
        _ = try check.positiveInt("epochs")
        _ = try TrainCommand.configure(&check, location: location, epochs: nil)
        a = check
    }

    private static func location(_ word: String, _ a: inout Arguments) throws -> DataLocation {
        var words = ["--dataset", word == "synthetic" ? "synthetic" : "folders"]
        if word != "synthetic" { words += ["--data", word] }
        if let cache = try a.option("cache") { words += ["--cache", cache] }
        var b = Arguments(words)
        return try DataLocation.parse(&b, fallback: nil)
    }

    /// Every task's configuration and samples (frame caches built when missing).
    func load() throws -> [Task] {
        try folders.map { word in
            var a = arguments
            let location = try BenchTasks.location(word, &a)
            let epochs = try a.positiveInt("epochs")
            var (config, data) = try TrainCommand.configure(&a, location: location, epochs: epochs)
            let spec = try config.spec()
            let (train, n) = try location.samples(.train, config: data, steps: config.steps, frameShape: spec.input, augment: true)
            data.normalization = n
            let (test, _) = try location.samples(.test, config: data, steps: config.steps, frameShape: spec.input, augment: false)
            return Task(name: (word as NSString).lastPathComponent, config: config, data: data, train: train, test: test)
        }
    }
}
