import Foundation
import Testing
import TestSupport
@testable import ottt

@Suite("ottt demo")
struct DemoCommandTests {
    /// A short demo: the real command's path (simulator → live pipeline → online learner → held-out stream of
    /// another seed), shrunk to a 16×16 sensor, a narrow network and 200 samples so that a debug build stays quick.
    /// Measured in release on seeds 1–16: held out 0.575–0.9 (seeds 1 and 2: 0.875 and 0.825); chance is 0.1.
    func shortDemo(seed: Int, train: Int = 200, lr: String = "0.003", check: (DemoCommand.Outcome) throws -> Void) throws {
        let dir = try SharedMaterial.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        let demo = try DemoCommand(arguments: Arguments([
            "--train", String(train), "--test", "40", "--seed", String(seed), "--size", "16",
            "--net", "2x16x16:c8-a2-c16-a2-fc10", "--dt", "30ms", "--lr", lr, "--out", dir.path, "--print", "lines",
        ]))
        try check(try demo.perform())
    }

    @Test("a short demo learns far above chance (10 %) on held-out samples, on more than one seed", arguments: [1, 2])
    func learns(seed: Int) throws {
        try shortDemo(seed: seed) { outcome in
            #expect(outcome.train.samples.scored == 200)
            #expect(outcome.test.samples.scored == 40)
            #expect(outcome.test.samples.confusion.flatMap { $0 }.reduce(0, +) == 40)
            #expect(FileManager.default.fileExists(atPath: outcome.modelPath))
            let heldOut = try #require(outcome.test.samples.accuracy)
            #expect(heldOut >= 0.5, "seed \(seed): held out \(heldOut)")
        }
    }

    @Test("the same measurement without learning stays near chance (so the check above can fail)")
    func withoutLearning() throws {
        try shortDemo(seed: 1, train: 10, lr: "1e-30") { outcome in
            let heldOut = try #require(outcome.test.samples.accuracy)
            #expect(heldOut < 0.3, "held out \(heldOut) with no learning")
        }
    }

    @Test("usage errors name the bad value")
    func usage() {
        #expect(throws: UsageError.self) { try DemoCommand(arguments: Arguments(["--task", "faces"])) }
        #expect(throws: UsageError.self) { try DemoCommand(arguments: Arguments(["--train", "0"])) }
        #expect(throws: UsageError.self) { try DemoCommand(arguments: Arguments(["--optimizer", "rmsprop"])) }
        #expect(throws: UsageError.self) { try DemoCommand(arguments: Arguments(["--update", "never"])) }
        #expect(throws: UsageError.self) { try DemoCommand(arguments: Arguments(["--dt", "0ms"])) }
        #expect(throws: UsageError.self) { try DemoCommand(arguments: Arguments(["--size", "0"])) }
    }

    @Test("the gap makes a sample and its silence a whole number of bins, at least 30 ms of silence")
    func gap() {
        #expect(DemoCommand.gap(sampleDuration: 300_000, binWidth: 10_000) == 30_000)
        #expect(DemoCommand.gap(sampleDuration: 300_000, binWidth: 30_000) == 30_000)
        #expect(DemoCommand.gap(sampleDuration: 300_000, binWidth: 50_000) == 50_000)
        #expect(DemoCommand.gap(sampleDuration: 300_000, binWidth: 7_000) == 36_000)
    }
}
