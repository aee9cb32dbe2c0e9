import Testing
import Tensors
@testable import ottt

@Suite("ottt bench gemm")
struct GemmBenchmarkTests {
    @Test("bench gemm takes presets, batch and threads, refuses an unknown preset, and times a product")
    func gemm() throws {
        let g = try GemmBenchmark(arguments: Arguments(["--presets", "small32,small48", "--batch", "4", "--runs", "1",
                                                        "--threads", "1"]))
        #expect(g.presets == ["small32", "small48"] && g.batch == 4 && g.runs == 1 && g.threads == 1)
        #expect(throws: UsageError.self) { try GemmBenchmark(arguments: Arguments(["--threads", "0"])) }
        #expect(throws: UsageError.self) { try GemmBenchmark(arguments: Arguments(["--presets", "vgg11"])) }
        #expect(throws: UsageError.self) { try GemmBenchmark(arguments: Arguments(["--batch", "0"])) }
        #expect(try GemmBenchmark(arguments: Arguments(["--square"])).squareOnly && !g.squareOnly)
        let seconds = g.time(MatrixProduct(.none, .none, m: 32, n: 32, k: 32))
        #expect(seconds > 0 && seconds < 0.2)
    }
}
