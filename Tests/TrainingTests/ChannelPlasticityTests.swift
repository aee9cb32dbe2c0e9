import Foundation
import Testing
import SNN
import Tensors
import Training

@Suite("Plastic and stable convolution channels")
struct ChannelPlasticityTests {
    static let plasticity = ChannelPlasticity(spread: 2, plasticEvery: 2, stableBeta1: 0.99)

    /// How far each element of each parameter moved in `steps` steps of `make()`, every gradient `g` (then `g2`).
    static func moves(_ make: () -> any Optimizer, plasticity: ChannelPlasticity?, gradients: [Float]) throws
        -> [String: [Float]] {
        let net = Network(spec: try NetworkSpec(parsing: "2x4x4:c4-a2-fcn3"), seed: 1)
        let before = Dictionary(uniqueKeysWithValues: net.parameters.map { ($0.name, $0.value.values) })
        let o = make()
        o.plasticity = plasticity
        for g in gradients {
            for p in net.parameters { p.gradient.fill(g) }
            o.step(net)
        }
        return Dictionary(uniqueKeysWithValues: net.parameters.map { p in
            (p.name, zip(p.value.values, before[p.name] ?? []).map { $0 - $1 })
        })
    }

    @Test("every other output channel is plastic, the rest stable with their own β₁")
    func channels() {
        let p = Self.plasticity
        let scaled = { (c: Int, b: Float) in (p.channel(c, beta1: b).rateScale, p.channel(c, beta1: b).beta1) }
        #expect(scaled(0, 0.9) == (2, 0.9) && scaled(1, 0.9) == (0.5, 0.99) && scaled(4, 0.8) == (2, 0.8))
        #expect(ChannelPlasticity(spread: 3, plasticEvery: 3, stableBeta1: 0.99).channel(3, beta1: 0.9).rateScale == 3)
        #expect(ChannelPlasticity(spread: 3, plasticEvery: 3, stableBeta1: 0.99).channel(4, beta1: 0.9).rateScale == Float(1) / 3)
        #expect(p.isValid)
        for bad in [ChannelPlasticity(spread: 0.5, stableBeta1: 0.9), ChannelPlasticity(spread: .nan, stableBeta1: 0.9),
                    ChannelPlasticity(spread: 2, plasticEvery: 0, stableBeta1: 0.9),
                    ChannelPlasticity(spread: 2, stableBeta1: 1)] {
            #expect(!bad.isValid, "\(bad)")
        }
    }

    @Test("with SGD and with Adam, a plastic channel steps at spread × the rate and a stable one at 1/spread ×; nothing else changes")
    func rates() throws {
        for make in [{ SGD(learningRate: 0.1, momentum: 0) as any Optimizer }, { Adam(learningRate: 0.1) }] {
            let uniform = try Self.moves(make, plasticity: nil, gradients: [0.5])
            let split = try Self.moves(make, plasticity: Self.plasticity, gradients: [0.5])
            let weight = try #require(uniform["conv1.weight"]), splitWeight = try #require(split["conv1.weight"])
            let perChannel = weight.count / 4                          // [4, 2, 3, 3]
            for (i, (a, b)) in zip(splitWeight, weight).enumerated() {
                let ratio: Float = (i / perChannel) % 2 == 0 ? 2 : 0.5
                #expect(abs(a - ratio * b) <= 1e-7 + abs(b) * 1e-5, "conv1.weight[\(i)]: \(a) against \(ratio) × \(b)")
                #expect(b != 0)
            }
            for (name, moved) in uniform where name != "conv1.weight" {
                #expect(split[name] == moved, "\(name) stepped differently")   // the classifier's W, biases, gains
            }
        }
    }

    @Test("Adam's stable channels keep a longer first moment: the step after a gradient that stops follows their β₁")
    func stableMoment() throws {
        let lr: Float = 0.1, g: Float = 0.5
        let moved = try Self.moves({ Adam(learningRate: lr, beta1: 0.9, beta2: 0.999) },
                                   plasticity: Self.plasticity, gradients: [g, 0])
        let weight = try #require(moved["conv1.weight"])
        let perChannel = weight.count / 4
        /// Two Adam steps of one element: g, then 0; the total displacement, by hand.
        func twoSteps(rate: Float, beta1: Float) -> Float {
            let b2: Float = 0.999
            let step1 = rate * g / ((g * g).squareRoot() + 1e-8)
            let m2 = beta1 * (1 - beta1) * g, v2 = b2 * (1 - b2) * g * g
            let step2 = rate * (m2 / (1 - beta1 * beta1)) / ((v2 / (1 - b2 * b2)).squareRoot() + 1e-8)
            return -(step1 + step2)
        }
        let plastic = twoSteps(rate: 2 * lr, beta1: 0.9), stable = twoSteps(rate: 0.5 * lr, beta1: 0.99)
        #expect(abs(weight[0] - plastic) < 1e-4 * abs(plastic), "plastic \(weight[0]) against \(plastic)")
        #expect(abs(weight[perChannel] - stable) < 1e-4 * abs(stable), "stable \(weight[perChannel]) against \(stable)")
    }

    @Test("checkpoints record it in the optimizer's words and read it back; bad values are errors that name the file")
    func words() throws {
        var settings = OptimizerSettings(kind: .adam, learningRate: 3e-4, beta2: 0.99, standardizedRate: 1e-3,
                                         plasticity: Self.plasticity)
        #expect(settings.description.hasSuffix("ws_lr=0.001 plastic_spread=2.0 plastic_every=2 stable_beta1=0.99"))
        #expect(try OptimizerSettings(parsing: settings.description, file: "m.safetensors") == settings)
        #expect(settings.make().plasticity == Self.plasticity)
        settings.plasticity = nil
        #expect(try OptimizerSettings(parsing: settings.description, file: "m.safetensors").plasticity == nil)
        for bad in ["plastic_spread=0.5", "plastic_spread=2 plastic_every=0", "plastic_spread=2 plastic_every=1e30",
                    "plastic_spread=2 stable_beta1=1"] {
            #expect(throws: CheckpointError.self, "\(bad)") {
                try OptimizerSettings(parsing: "adam lr=0.001 \(bad)", file: "m.safetensors")
            }
            do { _ = try OptimizerSettings(parsing: "adam lr=0.001 \(bad)", file: "m.safetensors") } catch {
                #expect("\(error)".contains("m.safetensors"), "\(error)")
            }
        }
    }
}
