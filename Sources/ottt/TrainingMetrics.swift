import Foundation
import Pictures

/// What one training epoch gave: one JSON line of `ottt train --metrics`, one point of each `--plot` curve, and
/// kept in checkpoints (metadata `history`) so that a resumed run continues its curves.
struct EpochMetrics: Codable, Equatable {
    /// 1-based.
    var epoch: Int
    var learningRate: Double
    /// Mean over training samples of Σ_t L[t].
    var trainLoss: Double
    /// Fraction of training samples whose prediction (argmax Σ_t o[t]) was right, while the weights were changing.
    var trainAccuracy: Double
    var testLoss: Double?
    var testAccuracy: Double?
    /// Training samples per second (forward, backward and updates; batch assembly included).
    var samplesPerSecond: Double
    /// Wall time of the epoch including evaluation.
    var seconds: Double

    enum CodingKeys: String, CodingKey {
        case epoch, learningRate = "lr", trainLoss = "train_loss", trainAccuracy = "train_acc",
             testLoss = "test_loss", testAccuracy = "test_acc", samplesPerSecond = "samples_per_s", seconds
    }

    /// One line of JSON, keys in a fixed order.
    var jsonLine: String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        return String(decoding: try! encoder.encode(self), as: UTF8.self)
    }

    /// A history as one JSON array (checkpoint metadata).
    static func encode(_ history: [EpochMetrics]) -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        return String(decoding: try! encoder.encode(history), as: UTF8.self)
    }

    /// A history from checkpoint metadata; empty when absent, nil when unreadable.
    static func decode(_ text: String?) -> [EpochMetrics]? {
        guard let text else { return [] }
        return try? JSONDecoder().decode([EpochMetrics].self, from: Data(text.utf8))
    }

    /// The loss and accuracy charts of a history (`ottt train --plot`).
    static func charts(_ history: [EpochMetrics], title: String) -> [SVGChart] {
        var loss = SVGChart(title: "\(title): loss", xLabel: "epoch", yLabel: "loss per sample (Σ_t L[t])", integerX: true)
        loss.add("train", history.map { (Double($0.epoch), $0.trainLoss) })
        loss.add("test", history.compactMap { m in m.testLoss.map { (Double(m.epoch), $0) } }, dashed: true)
        var accuracy = SVGChart(title: "\(title): accuracy", xLabel: "epoch", yLabel: "accuracy (%)", yRange: 0...100, integerX: true)
        accuracy.add("train", history.map { (Double($0.epoch), 100 * $0.trainAccuracy) })
        accuracy.add("test", history.compactMap { m in m.testAccuracy.map { (Double(m.epoch), 100 * $0) } }, dashed: true)
        return [loss, accuracy]
    }
}

/// Appends JSON lines to a file, flushed after every line so that a crashed run keeps its metrics.
final class JSONLinesFile {
    let path: String
    private let handle: FileHandle

    /// Opens `path` for appending (`append`) or truncates it.
    init(path: String, append: Bool) throws {
        self.path = path
        if !append || !FileManager.default.fileExists(atPath: path) {
            guard FileManager.default.createFile(atPath: path, contents: nil) else {
                throw CommandFailure("cannot create \(path)")
            }
        }
        guard let h = FileHandle(forWritingAtPath: path) else { throw CommandFailure("cannot open \(path) for writing") }
        handle = h
        handle.seekToEndOfFile()
    }

    deinit { try? handle.close() }

    func write(_ line: String) throws {
        do {
            try handle.write(contentsOf: Data((line + "\n").utf8))
            try handle.synchronize()
        } catch {
            throw CommandFailure("cannot write to \(path): \(error.localizedDescription)")
        }
    }
}
