import Foundation
import Testing
import TestSupport
@testable import ottt

@Suite("ottt demo")
struct DemoCommandTests {
    @Test("a short demo runs both phases through the live pipeline, scores every sample and saves the model")
    func shortDemo() throws {
        let dir = try SharedMaterial.temporaryDirectory().path
        // Mechanics only: 40 samples to learn from, 20 held out, a narrow network so that a debug build stays quick.
        // (Whether a short run learns far above chance depends on the seed; the accuracy bar is checked by running
        // `ottt demo` itself, see the README.)
        let demo = try DemoCommand(arguments: Arguments([
            "--train", "40", "--test", "20", "--lr", "0.003", "--net", "2x32x32:c8-a2-c16-a2-fc10",
            "--out", dir, "--print", "lines",
        ]))
        let outcome = try demo.perform()
        #expect(outcome.train.samples.scored == 40)
        #expect(outcome.test.samples.scored == 20)
        #expect(outcome.train.bins.scored > 40 * 20)          // about 30 labelled 10 ms bins per 300 ms sample
        #expect(outcome.test.samples.confusion.flatMap { $0 }.reduce(0, +) == 20)
        #expect(FileManager.default.fileExists(atPath: outcome.modelPath))
    }

    @Test("usage errors name the bad value")
    func usage() {
        #expect(throws: UsageError.self) { try DemoCommand(arguments: Arguments(["--task", "faces"])) }
        #expect(throws: UsageError.self) { try DemoCommand(arguments: Arguments(["--train", "0"])) }
    }
}
