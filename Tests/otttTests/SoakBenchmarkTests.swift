import Testing
@testable import ottt

@Suite("ottt bench soak")
struct SoakBenchmarkTests {
    @Test("durations up to hours", arguments: [
        ("1h", 3_600_000_000), ("1.5h", 5_400_000_000), ("90min", 5_400_000_000), ("30s", 30_000_000),
        ("10ms", 10_000), ("500us", 500), ("250", 250),
    ] as [(String, Int64)])
    func durations(text: String, microseconds: Int64) {
        #expect(parseLongDuration(text) == microseconds)
    }

    @Test("words that are not durations", arguments: ["h", "1hour", "-1h", "ten", "1m"])
    func notDurations(text: String) {
        #expect(parseLongDuration(text) == nil)
    }

    @Test("defaults: an hour of digits at full speed, blocking; paced runs merge as live does")
    func defaults() throws {
        let plain = try SoakBenchmark(arguments: Arguments([]))
        #expect(plain.duration == 3_600_000_000 && plain.source == .digits && plain.whenBehind == .block)
        let paced = try SoakBenchmark(arguments: Arguments(["--speed", "1", "--stream", "10min"]))
        #expect(paced.whenBehind == .merge && paced.duration == 600_000_000)
    }

    @Test("bad options are usage errors", arguments: [
        ["--stream", "0s"], ["--source", "noise"], ["--when-behind", "later"], ["--every", "soon"], ["--bogus"],
    ])
    func badOptions(words: [String]) {
        #expect(throws: UsageError.self) { try SoakBenchmark(arguments: Arguments(words)) }
    }

    @Test("the stream clock reads hours, minutes and seconds")
    func clock() {
        #expect(clockText(3725.4) == "1:02:05")
        #expect(clockText(59.6) == "0:01:00")
    }
}
