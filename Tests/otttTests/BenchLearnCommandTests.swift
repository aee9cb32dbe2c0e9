import Testing
@testable import ottt

@Suite("ottt bench learn: its options")
struct BenchLearnCommandTests {
    @Test("--recipes, --warm-up, --max-segment, --ws-lr, --hold-ws-lr, --feature-gradient and --plasticity reach the options; not given, every recipe runs as it is")
    func overrides() throws {
        let c = try BenchLearnCommand(arguments: Arguments(["--recipes", "default,adam-bin", "--warm-up", "0",
                                                            "--max-segment", "30ms"]))
        #expect(c.options.recipes == ["default", "adam-bin"])
        #expect(c.options.warmUp == 0 && c.options.maxSegment == 30_000)
        let plain = try BenchLearnCommand(arguments: Arguments([]))
        #expect(plain.options.recipes == nil && plain.options.warmUp == nil && plain.options.maxSegment == nil)
        #expect(plain.options.standardizedRate == nil)
        #expect(try BenchLearnCommand(arguments: Arguments(["--ws-lr", "3e-4"])).options.standardizedRate == 3e-4)
        #expect(!plain.options.holdingWeights)
        #expect(try BenchLearnCommand(arguments: Arguments(["--hold-ws-lr"])).options.holdingWeights)
        #expect(plain.options.featureGradient == nil)
        #expect(try BenchLearnCommand(arguments: Arguments(["--feature-gradient", "full"])).options.featureGradient == .full)
        #expect(try BenchLearnCommand(arguments: Arguments(["--max-segment", "0ms"])).options.maxSegment == 0)
        #expect(plain.options.plasticity == nil && !plain.options.uniformChannels)
        #expect(try BenchLearnCommand(arguments: Arguments(["--plasticity", "none"])).options.uniformChannels)
        #expect(try BenchLearnCommand(arguments: Arguments(["--plasticity", "3"])).options.plasticity?.spread == 3)
        #expect(plain.options.seeds == 1)
        #expect(try BenchLearnCommand(arguments: Arguments(["--seeds", "3"])).options.seeds == 3)
    }

    @Test("bad values are usage errors", arguments: [
        ["--recipes", "sgd"], ["--warm-up", "-1"], ["--warm-up", "x"], ["--max-segment", "-5ms"], ["--dt", "0ms"],
        ["--seeds", "0"], ["--seeds", "two"], ["--ws-lr", "-0.1"], ["--ws-lr", "inf"], ["--feature-gradient", "radial"],
        ["--plasticity", "0.5"], ["--plasticity", "nan"], ["--plasticity", "some"],
    ])
    func bad(_ words: [String]) {
        #expect(throws: UsageError.self) { try BenchLearnCommand(arguments: Arguments(words)) }
    }
}
