import Testing
import Tensors
@testable import ottt

@Suite("ottt bench")
struct BenchCommandTests {
    @Test("--help after a benchmark's name shows that benchmark's usage; alone, the list", arguments: Benchmarks.all.map { $0.name })
    func helpRouting(name: String) throws {
        let type = try #require(Benchmarks.all.first { $0.name == name })
        #expect(BenchCommand.help(for: Arguments([name, "--help"])) == type.usage)
        #expect(BenchCommand.help(for: Arguments(["--help"])) == BenchCommand.usage)
    }

    @Test("an unknown benchmark is a usage error")
    func unknown() {
        #expect(throws: UsageError.self) { try BenchCommand(arguments: Arguments(["nonesuch"])) }
    }

    @Test("bench gemm takes presets, batch and threads, refuses an unknown preset, and times a product")
    func gemm() throws {
        let g = try GemmBenchmark(arguments: Arguments(["--presets", "small32,small48", "--batch", "4", "--runs", "1",
                                                        "--threads", "1"]))
        #expect(g.presets == ["small32", "small48"] && g.batch == 4 && g.runs == 1 && g.threads == 1)
        #expect(throws: UsageError.self) { try GemmBenchmark(arguments: Arguments(["--threads", "0"])) }
        #expect(throws: UsageError.self) { try GemmBenchmark(arguments: Arguments(["--presets", "vgg11"])) }
        #expect(throws: UsageError.self) { try GemmBenchmark(arguments: Arguments(["--batch", "0"])) }
        let seconds = g.time(MatrixProduct(.none, .none, m: 32, n: 32, k: 32))
        #expect(seconds > 0 && seconds < 0.2)
    }
}
