import Foundation
import Pictures
import Training

extension EpochMetrics {
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
