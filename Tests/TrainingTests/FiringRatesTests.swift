import Testing
import SNN
import Tensors
import Training

@Suite("Firing rates")
struct FiringRatesTests {
    @Test("per-layer rates are the fraction of neurons firing averaged over samples and steps; the total weighs layers by size")
    func rates() throws {
        let spec = try NetworkSpec(parsing: "2x8x8:c4-a2-c6-gap-fc3")
        let net = Network(spec: spec, seed: 2)
        let set = SyntheticSamples(count: 10, classes: 3, steps: 5, frameShape: [2, 8, 8], seed: 4)
        var rates = FiringRates()
        _ = ConfusionMatrix.evaluate(net, on: set, batch: 4, observe: { _, _ in rates.record(net) })
        // By hand: every sample alone, spikes counted at every step.
        var fired = [0, 0], seen = 0
        let assembler = BatchAssembler()
        var none: SeededGenerator? = nil
        for i in 0..<set.count {
            let (frames, labels) = assembler.batch(set, indices: i..<(i + 1), augment: &none)
            net.reset(batchSize: 1, mode: .none, training: false)
            _ = labels
            for f in frames {
                net.step(f)
                for (k, out) in net.neuronOutputs.enumerated() { fired[k] += out.spikes.values.filter { $0 != 0 }.count }
                seen += 1
            }
        }
        #expect(rates.neurons == [4 * 8 * 8, 6 * 4 * 4] && rates.sampleSteps == 50)
        let expected = [Double(fired[0]) / Double(seen * 256), Double(fired[1]) / Double(seen * 96)]
        #expect(zip(rates.perLayer, expected).allSatisfy { abs($0 - $1) < 1e-12 }, "\(rates.perLayer) vs \(expected)")
        #expect(rates.perLayer.contains { $0 > 0 })
        #expect(abs(rates.total - Double(fired[0] + fired[1]) / Double(seen * (256 + 96))) < 1e-12)
    }
}
