import Foundation
import Testing
import TestSupport
import NIR
import SNN
import Tensors
import Training
@testable import ottt

@Suite("ottt export and ottt import")
struct NIRCommandTests {
    /// The demo's model (its default network, small32 on a 32×32 sensor), trained briefly, exported, imported with
    /// --reset subtract: the same outputs and spikes over T steps; the probe written by export matches the model's run.
    @Test("the demo's model goes through export and import with the same outputs")
    func demoModel() throws {
        let dir = try SharedMaterial.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        let demo = try DemoCommand(arguments: Arguments(["--train", "6", "--test", "2", "--seed", "3", "--out", dir.path, "--print", "lines"]))
        let model = try demo.perform().modelPath
        let nir = dir.appendingPathComponent("demo.nir").path, back = dir.appendingPathComponent("back.safetensors").path
        let original = try Checkpoint.load(from: model).network
        let frames = Tensor(shape: [6] + original.spec.input)
        var g = SeededGenerator(seed: 5)
        for i in 0..<frames.count { frames.data[i] = g.uniform() < 0.2 ? 1 : 0 }
        var input = SafeTensors()
        input.set("frames", frames)
        let framesPath = dir.appendingPathComponent("frames.safetensors").path, probePath = dir.appendingPathComponent("probe.safetensors").path
        try input.write(path: framesPath)
        try ExportCommand(arguments: Arguments([model, nir, "--probe-input", framesPath, "--probe-output", probePath])).run()
        try ImportCommand(arguments: Arguments([nir, back, "--reset", "subtract"])).run()
        let imported = try Checkpoint.load(from: back).network
        // The demo learns with a normalised classifier (fcn10); NIR's Affine holds its Ŵ, which imports as fc10.
        #expect(original.spec.hasNormalizedClassifier)
        #expect(imported.spec.layers == original.spec.withClassifier(normalized: false).layers
                && imported.spec.neuron.reset == .subtract)
        let a = NetworkProbe(network: original, frames: frames), b = NetworkProbe(network: imported, frames: frames)
        let d = b.difference(from: a)
        print("NIR round trip, the demo's model: \(d)")
        #expect(d.spikeMismatches == 0 && d.maxOutputError <= 1e-5 * max(1, d.maxOutput), "\(d)")
        let probe = try SafeTensors.read(path: probePath)
        #expect(try probe.tensor("outputs").values == a.outputs.values)
        #expect(try probe.tensor("lif2.spikes").values == a.spikes[1].values)
        if ReferencePython.isAvailable {
            let summary = try ReferencePython.check(["summary", nir])
            #expect(summary.contains("\"Conv2d\"") && summary.contains("\"SumPool2d\"") && summary.contains("\"Affine\""))
        } else {
            print("the reference check of the demo's export is skipped: \(ReferencePython.skipReason)")
        }
    }

    @Test("usage errors and refusals")
    func usage() throws {
        #expect(throws: UsageError.self) { try ImportCommand(arguments: Arguments(["a.nir", "b.safetensors", "--reset", "soft"])) }
        #expect(throws: UsageError.self) { try ExportCommand(arguments: Arguments(["a.safetensors", "b.nir", "--dt", "0"])) }
        #expect(throws: UsageError.self) { try ExportCommand(arguments: Arguments(["a.safetensors", "b.nir", "--probe-input", "f"])) }
        let dir = try SharedMaterial.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        let out = dir.appendingPathComponent("x.safetensors").path
        #expect(throws: NIRError.self) {
            try ImportCommand(arguments: Arguments([SharedMaterial.fixture("nir/refused-heterogeneous-tau.nir"), out])).run()
        }
    }
}
