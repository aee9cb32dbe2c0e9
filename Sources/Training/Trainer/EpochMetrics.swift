import Foundation

/// What one training epoch gave: one JSON line of metrics, one point of each curve, and kept in checkpoints
/// (metadata `history`) so that a resumed run continues its curves.
public struct EpochMetrics: Codable, Equatable, Sendable {
    /// 1-based.
    public var epoch: Int
    public var learningRate: Double
    /// Mean over training samples of Σ_t L[t].
    public var trainLoss: Double
    /// Fraction of training samples whose prediction (argmax Σ_t o[t]) was right, while the weights were changing.
    public var trainAccuracy: Double
    public var testLoss: Double?
    public var testAccuracy: Double?
    /// Training samples per second (forward, backward and updates; batch assembly included).
    public var samplesPerSecond: Double
    /// Wall time of the epoch including evaluation.
    public var seconds: Double

    public init(epoch: Int, learningRate: Double, trainLoss: Double, trainAccuracy: Double, testLoss: Double? = nil,
                testAccuracy: Double? = nil, samplesPerSecond: Double, seconds: Double) {
        self.epoch = epoch; self.learningRate = learningRate; self.trainLoss = trainLoss
        self.trainAccuracy = trainAccuracy; self.testLoss = testLoss; self.testAccuracy = testAccuracy
        self.samplesPerSecond = samplesPerSecond; self.seconds = seconds
    }

    enum CodingKeys: String, CodingKey {
        case epoch, learningRate = "lr", trainLoss = "train_loss", trainAccuracy = "train_acc",
             testLoss = "test_loss", testAccuracy = "test_acc", samplesPerSecond = "samples_per_s", seconds
    }

    /// One line of JSON, keys in a fixed order.
    public var jsonLine: String { sortedJSON(self) }

    /// A history as one JSON array (checkpoint metadata).
    public static func encode(_ history: [EpochMetrics]) -> String { sortedJSON(history) }

    /// A history from checkpoint metadata; empty when absent, nil when unreadable.
    public static func decode(_ text: String?) -> [EpochMetrics]? {
        guard let text else { return [] }
        let decoder = JSONDecoder()
        decoder.nonConformingFloatDecodingStrategy = .convertFromString(positiveInfinity: "inf", negativeInfinity: "-inf", nan: "nan")
        return try? decoder.decode([EpochMetrics].self, from: Data(text.utf8))
    }
}
