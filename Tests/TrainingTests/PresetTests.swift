import Testing
import Training

@Suite("Presets")
struct PresetTests {
    @Test("the paper preset holds the paper's training values")
    func preset() {
        let p = Preset.named("paper-cifar10dvs")!
        #expect(p.steps == 10 && p.batchSize == 128 && p.epochs == 300 && p.learningRate == 0.1 && p.momentum == 0.9)
        #expect(p.rule == .otttA && p.network.dropout == 0.1)
        #expect(Preset.named("small32")!.network.input == [2, 32, 32])
    }
}
