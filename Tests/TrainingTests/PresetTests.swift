import Testing
import SNN
import Training

@Suite("Presets")
struct PresetTests {
    @Test("every listed preset has a network and training values; the networks read as their documented words")
    func presets() throws {
        #expect(NetworkSpec.presetNames == ["paper-cifar10dvs", "small32", "small48"])
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

    @Test("the paper preset holds the paper's training values")
    func preset() throws {
        let p = try #require(Preset.named("paper-cifar10dvs"))
        #expect(p.steps == 10 && p.batchSize == 128 && p.epochs == 300 && p.learningRate == 0.1 && p.momentum == 0.9)
        #expect(p.rule == .otttA && p.network.dropout == 0.1)
        #expect(Preset.named("small32")?.network.input == [2, 32, 32])
    }
}
