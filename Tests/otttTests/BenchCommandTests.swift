import Testing
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
}
