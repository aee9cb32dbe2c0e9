import Foundation
import SNN
import Tensors
import Training

/// How close OTTT_A's gradient is to BPTT's: on the same network, weights and batch, both gradients of every layer
/// (its weight, bias and gain together), their cosine similarity and the fraction of entries whose signs agree.
/// (The paper proves that OTTT's gradients give a descent direction similar to the gradients of the spike
/// representation's equivalent mapping, and compares OTTT with BPTT by accuracy and memory; this measures the
/// agreement with BPTT's gradient directly.)
public enum GradientAgreement {
    /// One layer (`conv1`, …, `fc`, or `all` for the whole network) at one point of a run.
    public struct Layer: Sendable, Codable, Equatable {
        public var name: String
        public var cosine: Double
        /// Among entries where either gradient is non-zero, the fraction with the same sign.
        public var signAgreement: Double

        enum CodingKeys: String, CodingKey { case name, cosine, signAgreement = "sign_agreement" }
    }

    /// The agreement per layer, then `all`, of OTTT_A and BPTT on `network`'s current weights and one batch. The
    /// network itself is not changed: both gradients are taken on a copy without dropout (so that both rules see
    /// the same neurons).
    public static func measure(_ network: Network, frames: [Tensor], labels: [Int], gamma: Float = 0.001) -> [Layer] {
        var spec = network.spec
        spec.dropout = 0
        let copy = Network(spec: spec)
        for (p, q) in zip(network.parameters, copy.parameters) { q.value.data.update(from: p.value.data, count: p.value.count) }
        copy.parametersDidChange()
        let probe = GradientProbe()
        var ottt = OTTTA(gamma: gamma)
        _ = ottt.train(copy, frames: frames, labels: labels, optimizer: probe)
        let a = probe.gradients
        var bptt = BPTT(gamma: gamma)
        _ = bptt.train(copy, frames: frames, labels: labels, optimizer: probe)
        let b = probe.gradients
        var groups: [(name: String, a: [Float], b: [Float])] = []
        for (ga, gb) in zip(a, b) {
            let layer = String(ga.name.split(separator: ".").first ?? Substring(ga.name))
            if groups.last?.name == layer {
                groups[groups.count - 1].a += ga.values
                groups[groups.count - 1].b += gb.values
            } else {
                groups.append((layer, ga.values, gb.values))
            }
        }
        groups.append(("all", groups.flatMap(\.a), groups.flatMap(\.b)))
        return groups.map { Layer(name: $0.name, cosine: cosine($0.a, $0.b), signAgreement: signAgreement($0.a, $0.b)) }
    }

    /// a·b / (|a| |b|), in Double; 0 when either is zero.
    public static func cosine(_ a: [Float], _ b: [Float]) -> Double {
        precondition(a.count == b.count, "\(a.count) against \(b.count) values")
        var dot = 0.0, na = 0.0, nb = 0.0
        for i in a.indices {
            let x = Double(a[i]), y = Double(b[i])
            dot += x * y; na += x * x; nb += y * y
        }
        return na > 0 && nb > 0 ? dot / (na * nb).squareRoot() : 0
    }

    /// The fraction of entries, among those where either is non-zero, where a and b have the same sign (1 when
    /// both are zero everywhere).
    public static func signAgreement(_ a: [Float], _ b: [Float]) -> Double {
        precondition(a.count == b.count, "\(a.count) against \(b.count) values")
        var same = 0, counted = 0
        for i in a.indices where a[i] != 0 || b[i] != 0 {
            counted += 1
            if (a[i] > 0) == (b[i] > 0) && a[i] != 0 && b[i] != 0 { same += 1 }
        }
        return counted == 0 ? 1 : Double(same) / Double(counted)
    }

    /// One point of a training run: after `epoch` epochs (0: at initialisation), the agreement per layer.
    public struct Point: Sendable, Codable {
        public var epoch: Int
        public var testAccuracy: Double?
        public var layers: [Layer]

        enum CodingKeys: String, CodingKey { case epoch, layers, testAccuracy = "test_accuracy" }
    }

    /// Trains `config` (its rule) on `train` and measures the agreement on the first `probeSize` samples of
    /// `probe` (a fixed batch) at initialisation and after every epoch.
    public static func run(config: TrainingConfig, train: any SampleSet, test: (any SampleSet)?, probe: any SampleSet,
                           probeSize: Int, progress: (Point) -> Void = { _ in }) throws -> [Point] {
        let trainer = try Trainer(config: config, train: train, test: test)
        var none: SeededGenerator? = nil
        let (frames, labels) = BatchAssembler().batch(probe, indices: 0..<min(probeSize, probe.count), augment: &none)
        var points: [Point] = []
        func note(_ accuracy: Double?) {
            let point = Point(epoch: trainer.history.count, testAccuracy: accuracy,
                              layers: measure(trainer.network, frames: frames, labels: labels, gamma: config.lossGamma))
            points.append(point)
            progress(point)
        }
        note(nil)
        while !trainer.isFinished { note(try trainer.runEpoch().testAccuracy) }
        return points
    }
}
