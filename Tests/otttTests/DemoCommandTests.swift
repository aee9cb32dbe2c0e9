import Foundation
import Testing
import TestSupport
@testable import ottt

@Suite("ottt demo")
struct DemoCommandTests {
    @Test("a short demo learns the digits task online far above chance and saves the model")
    func shortDemo() throws {
        let dir = try SharedMaterial.temporaryDirectory().path
        // Small: 300 samples to learn from, 50 held out; a narrower network so that a debug build stays quick
        // (release: held out 88 % with these settings).
        let demo = try DemoCommand(arguments: Arguments([
            "--train", "300", "--test", "50", "--lr", "0.003", "--net", "2x32x32:c8-a2-c16-a2-fc10",
            "--out", dir, "--print", "lines",
        ]))
        let outcome = try demo.perform()
        #expect(outcome.train.samples.scored == 300)
        #expect(outcome.test.samples.scored == 50)
        // Chance is 10 %: held out, on scenes and a sensor it never saw, it must do far better.
        let heldOut = try #require(outcome.test.samples.accuracy)
        #expect(heldOut >= 0.5, "held-out accuracy \(heldOut)")
        #expect(FileManager.default.fileExists(atPath: outcome.modelPath))
    }

    @Test("usage errors name the bad value")
    func usage() {
        #expect(throws: UsageError.self) { try DemoCommand(arguments: Arguments(["--task", "faces"])) }
        #expect(throws: UsageError.self) { try DemoCommand(arguments: Arguments(["--train", "0"])) }
    }
}
