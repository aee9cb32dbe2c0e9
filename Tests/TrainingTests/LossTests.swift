import Foundation
import Testing
import Tensors
import Training

@Suite("Per-step loss and predictions")
struct LossTests {
    @Test("loss value and gradient: CE and MSE mixed by γ, divided by T; gradient equals finite differences")
    func lossAndGradient() {
        let loss = StepLoss(gamma: 0.25, steps: 4)   // a large γ so both terms matter
        let o: [Float] = [0.5, -1, 2, 0.1, 0.2, 0.3]
        let labels = [2, 0]
        let g = Tensor(shape: [2, 3])
        let value = loss.evaluate(Tensor(shape: [2, 3], values: o), labels: labels, gradient: g)
        func reference(_ o: [Float]) -> Double {
            var ce = 0.0, mse = 0.0
            for s in 0..<2 {
                let row = o[(s * 3)..<(s * 3 + 3)].map(Double.init)
                let z = row.map { exp($0) }.reduce(0, +)
                ce += log(z) - row[labels[s]]
                for j in 0..<3 { let d = row[j] - (j == labels[s] ? 1 : 0); mse += d * d }
            }
            return (0.75 * ce / 2 + 0.25 * mse / 6) / 4
        }
        #expect(abs(Double(value) - reference(o)) < 1e-6)
        for i in 0..<6 {
            var p = o, m = o
            p[i] += 1e-3; m[i] -= 1e-3
            let numeric = (reference(p) - reference(m)) / 2e-3
            #expect(abs(Double(g[i]) - numeric) < 1e-5, "∂L/∂o[\(i)]")
        }
    }

    @Test("predictions are the argmax of the (decayed) sum of outputs")
    func accumulator() {
        let acc = OutputAccumulator(batch: 1, classes: 3)
        acc.add(Tensor(shape: [1, 3], values: [5, 0, 0]))
        acc.add(Tensor(shape: [1, 3], values: [0, 3, 0]))
        acc.add(Tensor(shape: [1, 3], values: [0, 3, 0]))
        #expect(acc.predictions == [1])
        let decayed = OutputAccumulator(batch: 1, classes: 2, decay: 0.1)
        decayed.add(Tensor(shape: [1, 2], values: [10, 0]))
        decayed.add(Tensor(shape: [1, 2], values: [0, 2]))
        #expect(decayed.predictions == [1])
    }
}
