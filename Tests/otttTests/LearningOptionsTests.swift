import Pipeline
import Testing
@testable import ottt

@Suite("Learning, network and output options: the same words on live, replay and demo")
struct LearningOptionsTests {
    static let words = ["--optimizer", "sgd", "--lr", "0.02", "--momentum", "0.5", "--update", "bin", "--input-scale", "none"]

    static func check(_ s: SessionSettings) {
        #expect(s.optimizer == .sgd && s.learningRate == 0.02 && s.momentum == 0.5 && s.update == .everyStep && !s.scaleInput)
    }

    @Test("given, they reach the session settings of all three commands")
    func given() throws {
        Self.check(try ReplayCommand(arguments: Arguments(["x.aedat4"] + Self.words)).options.settings)
        Self.check(try LiveCommand(arguments: Arguments(Self.words)).options.settings)
        Self.check(try DemoCommand(arguments: Arguments(Self.words)).settings)
    }

    @Test("not given, all three learn with the standard recipe; replay's choice is left open for a model")
    func defaults() throws {
        let replay = try ReplayCommand(arguments: Arguments(["x.aedat4", "--model", "m.safetensors"])).options
        let demo = try DemoCommand(arguments: Arguments([])).settings
        let standard = LearningRecipe.standard
        for s in [replay.settings, try LiveCommand(arguments: Arguments([])).options.settings, demo] {
            #expect(s.optimizer == standard.optimizer && s.learningRate == standard.learningRate
                    && s.update == standard.update && s.scaleInput == standard.scaleInput
                    && s.classMemory == standard.classMemory && s.classMemory == .newClass)
        }
        #expect(replay.learning.choice == OptimizerChoice())
    }

    @Test("--class-memory engages the memory from the first step and --no-class-memory turns it off, for all three")
    func classMemory() throws {
        for (words, mode) in [(["--class-memory"], ClassMemoryMode.always), (["--no-class-memory"], .off)] {
            #expect(try ReplayCommand(arguments: Arguments(["x.aedat4"] + words)).options.settings.classMemory == mode)
            #expect(try LiveCommand(arguments: Arguments(words)).options.settings.classMemory == mode)
            #expect(try DemoCommand(arguments: Arguments(words)).settings.classMemory == mode)
        }
        #expect(throws: UsageError.self) { try LiveCommand(arguments: Arguments(["--class-memory", "--no-class-memory"])) }
        #expect(LearningOptions.usage.contains("--no-class-memory") && LearningOptions.usage.contains("By default the memory engages"))
    }

    @Test("--ws-lr sets the standardised weights' rate for all three; not given, the standard recipe's")
    func standardizedRate() throws {
        let words = ["--lr", "0.01", "--ws-lr", "0.0005"]
        for s in [try ReplayCommand(arguments: Arguments(["x.aedat4"] + words)).options.settings,
                  try LiveCommand(arguments: Arguments(words)).options.settings,
                  try DemoCommand(arguments: Arguments(words)).settings] {
            #expect(s.standardizedRate == 0.0005 && s.learningRate == 0.01)
        }
        #expect(try LiveCommand(arguments: Arguments(["--lr", "0.01"])).options.settings.standardizedRate
                == LearningRecipe.standard.standardizedRate)
        let model = try ReplayCommand(arguments: Arguments(["x.aedat4", "--model", "m.safetensors", "--ws-lr", "0.002"]))
        #expect(model.options.learning.choice.standardizedRate == 0.002)
    }

    @Test("a fresh network's classifier is normalised (fcnN) unless --classifier plain, for all three")
    func classifier() throws {
        #expect(LearningRecipe.standard.normalizedClassifier)
        let replay = try ReplayCommand(arguments: Arguments(["x.aedat4"])).options
        guard case .fresh(let spec, _) = try replay.plan(sourceName: "x", whenBehind: .block).start else {
            Issue.record("a replay without a model starts fresh"); return
        }
        #expect(spec.description == "2x32x32:c32-a2-c64-a2-fcn10")
        let plain = try LiveCommand(arguments: Arguments(["--classifier", "plain", "--classes", "3"])).options
        guard case .fresh(let plainSpec, _) = try plain.plan(sourceName: "x", whenBehind: .block).start else {
            Issue.record("a live session without a model starts fresh"); return
        }
        #expect(plainSpec.description == "2x32x32:c32-a2-c64-a2-fc3")
        let demo = try DemoCommand(arguments: Arguments([]))
        #expect(try demo.learning.freshSpec(demo.network).description == "2x32x32:c32-a2-c64-a2-fcn10")
        let plainDemo = try DemoCommand(arguments: Arguments(["--classifier", "plain"]))
        #expect(try plainDemo.learning.freshSpec(plainDemo.network).description == "2x32x32:c32-a2-c64-a2-fc10")
        // Words keep the classifier they name unless --classifier says otherwise; a model has its own.
        for (words, expected) in [(["--net", "2x16x16:c4-a2-fc3"], "fc3"), (["--net", "2x16x16:c4-a2-fcn3"], "fcn3"),
                                  (["--net", "2x16x16:c4-a2-fc3", "--classifier", "normalized"], "fcn3")] {
            let options = try LiveCommand(arguments: Arguments(words)).options
            #expect(try options.learning.freshSpec(options.network).description.hasSuffix(expected), "\(words)")
        }
        #expect(throws: UsageError.self) {
            try ReplayCommand(arguments: Arguments(["x.aedat4", "--model", "m.safetensors", "--classifier", "plain"]))
        }
    }

    @Test("--classes makes room for classes not seen yet", arguments: [2, 12])
    func classes(_ n: Int) throws {
        let options = try ReplayCommand(arguments: Arguments(["x.aedat4", "--classes", "\(n)"])).options
        #expect(try options.networkSpec().classes == n)
    }

    @Test("bad values are usage errors", arguments: [
        ["--optimizer", "rmsprop"], ["--lr", "0"], ["--lr", "nan"], ["--momentum", "1"], ["--update", "never"],
        ["--input-scale", "max"], ["--ws-lr", "-1"], ["--ws-lr", "fast"], ["--classifier", "cosine"], ["--classes", "0"], ["--model", "m.safetensors", "--classes", "3"], ["--print", "html"],
    ])
    func bad(_ words: [String]) {
        #expect(throws: UsageError.self) { try ReplayCommand(arguments: Arguments(["x.aedat4"] + words)) }
        #expect(throws: UsageError.self) { try LiveCommand(arguments: Arguments(words)) }
    }
}
