import Testing
import SNN

@Suite("Network spec")
struct NetworkSpecTests {
    @Test("words parse and print back")
    func roundTrip() throws {
        let text = "2x48x48:c64-c128-a2-c256-c256-a2-c512-c512-a2-c512-c512-gap-fc10"
        let spec = try NetworkSpec(parsing: text)
        #expect(spec.description == text)
        #expect(spec.layers.first == .conv(channels: 64) && spec.classes == 10)
    }

    @Test("a normalised classifier is the word fcnN, and withClassifier changes the classes and the kind only")
    func normalizedClassifier() throws {
        let spec = try NetworkSpec(parsing: "2x32x32:c32-a2-c64-a2-fcn10")
        #expect(spec.layers.last == .linear(outputs: 10, normalized: true) && spec.hasNormalizedClassifier)
        #expect(spec.description == "2x32x32:c32-a2-c64-a2-fcn10" && spec.classes == 10)
        let plain = spec.withClassifier(normalized: false)
        #expect(plain.description == "2x32x32:c32-a2-c64-a2-fc10" && !plain.hasNormalizedClassifier)
        #expect(plain.withClassifier(classes: 3).description == "2x32x32:c32-a2-c64-a2-fc3")
        #expect(spec.withClassifier(classes: 4).description == "2x32x32:c32-a2-c64-a2-fcn4")
        #expect { _ = try NetworkSpec(parsing: "2x8x8:c8-fcn0") } throws: { "\($0)".contains("unknown layer 'fcn0'") }
    }

    @Test("bad specs say what is wrong", arguments: [
        ("c8-fc10", "CxHxW"), ("2x8x8:c8-q3-fc10", "unknown layer 'q3'"), ("2x8x8:c8", "last layer"),
        ("2x8x8:fc10-c8-fc10", "fcN must be the last"), ("2x1x1:a2-fc2", "a2 on a 1×1"), ("2x8x0:c8-fc10", "input"),
        ("2x8x8:gap-c8-fc10", "after gap"),
    ])
    func errors(_ text: String, _ problem: String) {
        #expect { _ = try NetworkSpec(parsing: text) } throws: { "\($0)".contains(problem) }
    }

    @Test("presets have the shapes of docs/PEERS.md")
    func presets() {
        let vgg = Network(spec: NetworkSpec.preset("paper-cifar10dvs")!)
        // About 9.2 M parameters and 1.36 G multiply-adds per sample step (docs/OTTT.md).
        #expect(abs(Double(vgg.parameterCount) - 9.23e6) < 0.05e6)
        #expect(abs(Double(vgg.multiplyAddsPerStep) - 1.36e9) < 0.02e9)
        #expect(vgg.spec.dropout == 0.1)
        let small32 = Network(spec: NetworkSpec.preset("small32")!)
        #expect(small32.parameter("fc.weight")!.value.shape == [10, 64 * 8 * 8])
        #expect(abs(Double(small32.parameterCount) - 60e3) < 2e3)
        let small48 = Network(spec: NetworkSpec.preset("small48")!)
        #expect(small48.parameter("fc.weight")!.value.shape == [10, 64 * 12 * 12])
        #expect(NetworkSpec.preset("nope") == nil)
    }
}
