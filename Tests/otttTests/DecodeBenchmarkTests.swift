import Testing
@testable import ottt

@Suite("ottt bench decode")
struct DecodeBenchmarkTests {
    @Test("covers every writable format, and its write-then-check passes on a small run")
    func smallRun() throws {
        let names = DecodeBenchmark.cases.map(\.name)
        for name in ["aedat4", "aedat4-lz4", "aedat4-zstd", "aedat2", "evt2", "evt3", "csv"] {
            #expect(names.contains(name), "no decode case \(name)")
        }
        try DecodeBenchmark(arguments: Arguments(["--events", "3000", "--runs", "1"])).run()
    }

    @Test("an unknown format in --formats is a usage error")
    func unknownFormat() {
        #expect(throws: UsageError.self) {
            try DecodeBenchmark(arguments: Arguments(["--formats", "evt2,nope"]))
        }
    }
}
