import Testing
import SNN
import Training

@Suite("Presets")
struct PresetTests {
    @Test("every listed preset has a network and training values; the networks read as their documented words")
    func presets() throws {
        #expect(NetworkSpec.presetNames == ["paper-cifar10dvs", "paper-dvsgesture", "small32", "small48"])
        for name in NetworkSpec.presetNames {
            let preset = try #require(Preset.named(name))
            #expect(preset.name == name && preset.epochs > 0)
            #expect(try NetworkSpec(parsing: preset.network.description, dropout: preset.network.dropout) == preset.network)
        }
        #expect(NetworkSpec.preset("paper-cifar10dvs")?.description == "2x48x48:c64-c128-a2-c256-c256-a2-c512-c512-a2-c512-c512-gap-fc10")
        #expect(NetworkSpec.preset("paper-cifar10dvs")?.dropout == 0.1)
        #expect(NetworkSpec.preset("small32")?.description == "2x32x32:c32-a2-c64-a2-fc10")
        #expect(NetworkSpec.preset("small48")?.description == "2x48x48:c32-a2-c64-a2-fc10")
        #expect(Preset.named("huge") == nil && NetworkSpec.preset("huge") == nil)
        }

    /// train_dvsgesture.py: -T 20, -b 16, -opt Adam, -lr 0.001, -lr_scheduler CosALR, -T_max 300, -epochs 300,
    /// -drop_rate 0.0, -tau 2, -loss_lambda 0.001, online_spiking_vgg11_ws with c_in 2, num_classes 11, fc_hw 1.
    @Test("paper-dvsgesture is train_dvsgesture.py point by point")
    func gesture() throws {
        let p = try #require(Preset.named("paper-dvsgesture"))
        #expect(p.network.description == "2x128x128:c64-c128-a2-c256-c256-a2-c512-c512-a2-c512-c512-gap-fc11")
        #expect(p.network.dropout == 0 && p.network.neuron == LIF() && p.network.neuron.tau == 2)
        #expect(p.steps == 20 && p.batchSize == 16 && p.epochs == 300 && p.cosineHorizon == 300)
        #expect(p.optimizer == .adam && p.learningRate == 0.001 && p.weightDecay == 0 && p.rule == .otttA)
        let c = try #require(Preset.named("paper-cifar10dvs"))
        #expect(c.optimizer == .sgd && c.learningRate == 0.1 && c.momentum == 0.9 && c.batchSize == 128 && c.steps == 10)
    }

    @Test("the paper preset holds the paper's training values")
    func preset() throws {
        let p = try #require(Preset.named("paper-cifar10dvs"))
        #expect(p.steps == 10 && p.batchSize == 128 && p.epochs == 300 && p.learningRate == 0.1 && p.momentum == 0.9)
        #expect(p.rule == .otttA && p.network.dropout == 0.1)
        #expect(Preset.named("small32")?.network.input == [2, 32, 32])
    }
}
