import Foundation
@testable import Pipeline

/// A deterministic learner for pipeline tests: a linear layer with a leaky state, softmax cross-entropy and SGD, in
/// Float. Its weights depend on every input, label and reset in order, so any difference in what the pipeline feeds
/// it shows up bit for bit. It logs calls so that tests can check their order.
final class TinyLearner: OnlineLearner {
    let inputShape: [Int]
    let classes: Int
    var weights: [Float]                 // [classes, inputs]
    var state: [Float]                   // [inputs], leaky: s ← 0.5 s + x
    var lastOutput: [Float] = []
    var log: [String] = []
    let learningRate: Float
    /// Makes `learn` produce a NaN at this call (counting from 1), to test the non-finite guard.
    var poisonAtLearn: Int?
    private var learnCalls = 0

    init(inputShape: [Int], classes: Int, learningRate: Float = 0.05) {
        self.inputShape = inputShape
        self.classes = classes
        self.learningRate = learningRate
        let n = inputShape.reduce(1, *)
        weights = (0..<(classes * n)).map { Float(($0 * 7919) % 23) / 230 - 0.05 }
        state = Array(repeating: 0, count: n)
    }

    func step(_ input: [Float]) -> [Float] {
        precondition(input.count == state.count)
        for i in state.indices { state[i] = 0.5 * state[i] + input[i] }
        lastOutput = (0..<classes).map { k in
            var o: Float = 0
            for i in state.indices { o += weights[k * state.count + i] * state[i] }
            return o
        }
        log.append("step")
        return lastOutput
    }

    func learn(label: Int) -> LearnOutcome {
        learnCalls += 1
        log.append("learn \(label)")
        let m = lastOutput.max() ?? 0
        let e = lastOutput.map { expf($0 - m) }
        let z = e.reduce(0, +)
        let saved = weights
        for k in 0..<classes {
            var g = e[k] / z - (k == label ? 1 : 0)
            if poisonAtLearn == learnCalls { g = .nan }
            for i in state.indices { weights[k * state.count + i] -= learningRate * g * state[i] }
        }
        if weights.contains(where: { !$0.isFinite }) {
            weights = saved
            return .nonFinite("weight not finite")
        }
        return .learned(loss: logf(z) + m - lastOutput[label])
    }

    func resetState() {
        log.append("reset")
        for i in state.indices { state[i] = 0 }
    }

    var spikeRates: [Double] { [Double(state.filter { $0 > 0.5 }.count) / Double(max(state.count, 1))] }

    func saveCheckpoint(to path: String, metadata: [String: String]) throws {
        let blob = Checkpoint(weights: weights, state: state, metadata: metadata)
        try JSONEncoder().encode(blob).write(to: URL(fileURLWithPath: path))
    }

    func loadCheckpoint(from path: String) throws -> [String: String] {
        let blob = try JSONDecoder().decode(Checkpoint.self, from: Data(contentsOf: URL(fileURLWithPath: path)))
        weights = blob.weights
        state = blob.state
        return blob.metadata
    }

    private struct Checkpoint: Codable {
        var weights: [Float]
        var state: [Float]
        var metadata: [String: String]
    }
}

/// A one-bin frame of `n` values for tests.
func testFrame(bin: Int, width: Int64 = 1000, events: Int = 1, values: [Float]) -> BinnedFrame {
    BinnedFrame(bins: bin...bin, start: Int64(bin) * width, end: Int64(bin + 1) * width, events: events, values: values)
}
