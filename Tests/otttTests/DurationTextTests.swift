import Testing
@testable import ottt

@Suite("durations on the command line")
struct DurationTextTests {
    @Test("durations with a unit, up to hours", arguments: [
        ("1h", 3_600_000_000), ("1.5h", 5_400_000_000), ("90min", 5_400_000_000), ("30s", 30_000_000),
        ("10ms", 10_000), ("500us", 500), ("500µs", 500), ("0s", 0),
    ] as [(String, Int64)])
    func durations(text: String, microseconds: Int64) throws {
        #expect(try DurationText.parse(text).get() == microseconds)
    }

    @Test("words that are not durations", arguments: ["h", "1hour", "-1h", "ten", "1m", "1e30h"])
    func notDurations(text: String) {
        #expect(throws: DurationText.Problem.self) { try DurationText.parse(text).get() }
    }

    @Test("a number without a unit is refused with the fix, on every duration flag", arguments: [
        (ReplayCommand.self as any Command.Type, ["f.aedat4", "--dt", "10"], "--dt 10: give a unit, e.g. 10ms"),
        (ReplayCommand.self, ["f.aedat4", "--stop-after", "30"], "--stop-after 30: give a unit"),
        (ReplayCommand.self, ["f.aedat4", "--reset", "silence:200"], "give a unit"),
        (DemoCommand.self, ["--dt", "10"], "--dt 10: give a unit"),
        (BenchCommand.self, ["latency", "--dt", "10"], "--dt 10: give a unit"),
        (BenchCommand.self, ["soak", "--stream", "60"], "--stream 60: give a unit"),
        (BenchCommand.self, ["learn", "--dt", "10ms,20"], "--dt 20: give a unit"),
        (FramesCommand.self, ["f", "--window", "5000", "--out", "o"], "--window 5000: give a unit"),
        (SynthCommand.self, ["--task", "digits", "--gap", "30", "--out", "o"], "--gap 30: give a unit"),
    ] as [(any Command.Type, [String], String)])
    func bareNumbers(command: any Command.Type, words: [String], says: String) {
        do {
            _ = try command.init(arguments: Arguments(words))
            Issue.record("\(words) was accepted")
        } catch let error as UsageError {
            #expect(error.description.contains(says), "\(error)")
        } catch { Issue.record("\(error)") }
    }

    @Test("the old µs and ms flags still work, as durations", arguments: [
        (["f", "--window-us", "5000", "--out", "o"], "5ms windows"),
    ])
    func oldNames(words: [String], shows: String) throws {
        let frames = try FramesCommand(arguments: Arguments(words))
        #expect(FramesCommand.describe(frames.slicing) == shows)
    }

    @Test("durations shown as typed", arguments: [
        (10_000, "10ms"), (2_000_000, "2s"), (500, "500us"), (3_600_000_000, "1h"), (120_000_000, "2min"),
    ] as [(Int64, String)])
    func shown(us: Int64, text: String) { #expect(Arguments.show(us) == text) }
}
