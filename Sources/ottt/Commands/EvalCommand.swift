import Foundation
import Datasets
import Training

/// `ottt eval CKPT`: accuracy, per-class accuracy and the confusion matrix of a trained network on a dataset part.
struct EvalCommand: Command {
    static let name = "eval"
    static let abstract = "Evaluate a checkpoint on a dataset split: accuracy, per-class accuracy, confusion matrix."
    static let usage = """
    usage: ottt eval CKPT [--dataset D] [--data DIR] [--split test|train] [--batch B] [--rates] [--json]

    Runs the checkpoint's network (no gradients, dropout off) on every sample of the split, made into frames
    exactly as in training (T, frame mode and normalisation come from the checkpoint), and prints the accuracy,
    the accuracy of each class and the confusion matrix (rows: true class, columns: prediction).

    \(DataLocation.usage)
                        (--dataset defaults to the one the checkpoint was trained on)
      --split S         test (default) or train (without augmentation)
      --batch B         samples per batch (default 64)
      --rates           also the firing rate of every spiking layer and of all neurons, as the official
                        get_rate_*.py scripts print them (the fraction of neurons that fire, averaged over the
                        split's samples and time steps; spikes before the ×2.74 scale)
      --json            one JSON object: accuracy, loss, per_class, confusion, classes, samples (and
                        spike_rates, total_spike_rate with --rates)

    Example:
      ottt eval runs/paper/best.safetensors --data ~/data/CIFAR10DVS
    """

    let path: String
    let checkpoint: Checkpoint
    let config: TrainingConfig
    let data: DataConfig
    let location: DataLocation
    let part: DatasetPart
    let batch: Int
    let rates: Bool
    let json: Bool

    init(arguments: Arguments) throws {
        var a = arguments
        json = a.flag("json")
        rates = a.flag("rates")
        part = try a.option("split", default: .test) { DatasetPart(rawValue: $0.lowercased()) }
        batch = try a.positiveInt("batch", default: 64)
        let dataset = try a.option("dataset")
        let directory = try a.option("data"), cache = try a.option("cache")
        path = try a.positional("a checkpoint (.safetensors written by ottt train)")
        try a.finish()
        checkpoint = try Checkpoint.load(from: path)
        config = try TrainingConfig.stored(in: checkpoint)
        data = try DataConfig.stored(in: checkpoint)
        var rebuilt = Arguments(([dataset.map { ["--dataset", $0] }, directory.map { ["--data", $0] }, cache.map { ["--cache", $0] }]
            .compactMap { $0 }).flatMap { $0 })
        location = try DataLocation.parse(&rebuilt, fallback: data.dataset)
        guard location.source == data.dataset else {
            throw UsageError("--dataset \(location.source): \(path) was trained on \(data.dataset)")
        }
    }

    /// Evaluates and returns the confusion matrix and the firing rates.
    func evaluate() throws -> (ConfusionMatrix, FiringRates) {
        let network = checkpoint.network
        let (samples, _) = try location.samples(part, config: data, steps: config.steps,
                                                frameShape: network.spec.input, augment: false)
        guard samples.count > 0 else { throw CommandFailure("the \(part.rawValue) split has no samples") }
        let progress = ProgressLine("eval")
        var firing = FiringRates()
        let matrix = ConfusionMatrix.evaluate(network, on: samples, batch: batch,
                                              observe: { [rates] _, _ in if rates { firing.record(network) } },
                                              progress: { done in
            progress.update(fraction: Double(done) / Double(samples.count), detail: "\(done)/\(samples.count)")
        })
        progress.finish()
        return (matrix, firing)
    }

    func run() throws {
        let (m, firing) = try evaluate()
        if json {
            print(try EvalCommand.json(m, split: part.rawValue, rates: rates ? firing : nil))
        } else {
            print("\(path): \(config.network), \(config.rule.rawValue), T \(config.steps)")
            print(String(format: "%@ split of %@: %d samples, accuracy %.2f %% (%d correct), loss %.4f",
                         part.rawValue, data.dataset.name, m.total, 100 * m.accuracy, m.correct, m.meanLoss))
            print("")
            print(m.text, terminator: "")
            if rates {
                print("")
                for (i, r) in firing.perLayer.enumerated() {
                    print(String(format: "layer=%d, spike_rate=%.6f  (%d neurons)", i + 1, r, firing.neurons[i]))
                }
                print(String(format: "total_spike_rate=%.6f", firing.total))
            }
        }
    }

    static func json(_ m: ConfusionMatrix, split: String, rates: FiringRates? = nil) throws -> String {
        // JSON has no NaN or Inf (a diverged network's loss): such a number is written as null.
        func number(_ x: Double?) -> Any { x.flatMap { $0.isFinite ? $0 : nil } ?? NSNull() }
        var object: [String: Any] = [
            "split": split, "samples": m.total, "correct": m.correct, "accuracy": number(m.accuracy),
            "loss": number(m.meanLoss), "classes": m.classes, "per_class": m.perClass.map { number($0) },
            "confusion": m.counts,
        ]
        if let rates {
            object["spike_rates"] = rates.perLayer
            object["total_spike_rate"] = rates.total
        }
        let data = try JSONSerialization.data(withJSONObject: object, options: [.sortedKeys])
        return String(decoding: data, as: UTF8.self)
    }
}
