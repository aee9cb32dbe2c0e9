import DVSEvents
import EventFormats
import Foundation
import InputLimits
import Testing
import TestSupport
@testable import Pipeline

/// Issue 13, round 2: what a hostile or damaged stream, flag or teaching file does to the always-on learner —
/// times at the ends of 64 bits, gaps of 10¹⁸ µs, a Ctrl-C while a gap is waited out, overflowing durations,
/// label files with classes past the limit or overlaps beyond the previous line, lines of 50 MB.
@Suite("Hostile streams, durations and label files")
struct HostileStreamTests {
    @Test("durations whose µs do not fit in 64 bits are refused, not trapped (#6)",
          arguments: ["1e20s", "1e30s", "9223372036854775808us", "1e17ms", "inf", "nan", "-1s"])
    func hugeDurations(text: String) {
        #expect(parseDuration(text) == nil)
    }

    @Test("ordinary durations still parse")
    func durations() {
        #expect(parseDuration("2.5s") == 2_500_000)
        #expect(parseDuration("300ms") == 300_000)
        #expect(parseDuration("9223372036854775807") == .max)
    }

    @Test("replay speeds are bounded to 1e-6…1e6 (#6)", arguments: ["1e-300", "1e-7", "1e7", "1e300"])
    func extremeSpeeds(text: String) {
        #expect(ReplaySpeed(parsing: text) == nil)
    }

    @Test("a teaching line at 1e30 s is a line error (#6)")
    func teachingLineOverflow() {
        #expect(throws: PipelineError.self) {
            try LabelChange(parsing: "1e30s 3", names: [], classes: 10, source: "script", lineNumber: 4)
        }
    }

    @Test("paced replay at the ends of 64-bit time: no trap, the jumps skipped and counted (#1, #12)")
    func pacedExtremeTimes() throws {
        let events = [Event(t: .min + 1, x: 1, y: 1, on: true), Event(t: 0, x: 1, y: 1, on: false),
                      Event(t: .max - 1, x: 2, y: 2, on: true), Event(t: .max, x: 2, y: 2, on: true)]
        let clock = ManualClock(start: 0)
        let paced = PacedEventSource(ArraySource(events, chunk: 1), speed: .factor(1), slice: 10_000, clock: clock)
        let all = try paced.readAll()
        #expect(all.events == events)
        #expect(paced.skippedGaps == 2)
        #expect(clock.now() < 1)                                     // nothing waited out
    }

    @Test("a gap longer than --max-gap is skipped, a shorter one waited out (#12)")
    func maxGap() throws {
        let events = [Event(t: 0, x: 1, y: 1, on: true), Event(t: 3_000_000, x: 1, y: 1, on: true),
                      Event(t: 1_000_000_000_000_000_000, x: 1, y: 1, on: true)]
        let clock = ManualClock(start: 0)
        let paced = PacedEventSource(ArraySource(events, chunk: 1), speed: .factor(1), slice: 10_000, clock: clock,
                                     maxGap: 10_000_000)
        _ = try paced.readAll()
        #expect(paced.skippedGaps == 1)
        #expect(abs(clock.now() - 3) < 1e-9)
        #expect(clock.deadlines.allSatisfy { $0 <= 3 + 1e-9 })
        // Waits go in steps of at most 0.1 s, so an interruption is seen within one.
        let steps = zip([0] + clock.deadlines, clock.deadlines).map { $1 - $0 }
        #expect(steps.allSatisfy { $0 <= PacedEventSource.waitStep + 1e-9 })
    }

    @Test("interrupt() ends a wait at once: Ctrl-C while a paced replay waits out a gap (#12)")
    func interruptWhileWaiting() throws {
        let events = [Event(t: 0, x: 1, y: 1, on: true), Event(t: 9_000_000, x: 1, y: 1, on: true)]
        let paced = PacedEventSource(ArraySource(events, chunk: 1), speed: .factor(1), slice: 1000,
                                     clock: SystemClock(), maxGap: 10_000_000)
        let buffer = EventBuffer()
        #expect(try paced.read(into: buffer))
        DispatchQueue.global().asyncAfter(deadline: .now() + 0.2) { paced.interrupt() }
        let began = SystemClock().now()
        #expect(try paced.read(into: buffer))                        // due 9 s after the first
        #expect(SystemClock().now() - began < 2)
    }

    @Test("a session on times spanning 2^63 µs ends; the silent gaps are skipped and counted (#1, #18)")
    func sessionAcrossTime() throws {
        let events = [Event(t: .min + 1, x: 1, y: 1, on: true), Event(t: -5, x: 1, y: 1, on: true),
                      Event(t: 5, x: 2, y: 2, on: true), Event(t: .max - 1, x: 2, y: 2, on: false)]
        var settings = testSettings(learn: false)
        settings.maxGap = 1_000_000
        let (trace, summary, _) = try runSession(source: ArraySource(events, sensor: testSensor, chunk: 1),
                                                 settings: settings, labels: .none, whenBehind: .block)
        #expect(summary.status.eventsBinned == 4)
        #expect(summary.status.binsSkipped > 0)
        #expect(trace.bins.count < 10)
    }

    @Test("--max-gap bounds the empty bins one gap emits (#18)")
    func emptyBinsBounded() throws {
        let events = [Event(t: 0, x: 1, y: 1, on: true), Event(t: 2_000_000, x: 1, y: 1, on: true),
                      Event(t: 100_000_000, x: 1, y: 1, on: true)]
        var settings = testSettings(learn: false)
        settings.maxGap = 10_000_000
        let (trace, summary, _) = try runSession(source: ArraySource(events, sensor: testSensor, chunk: 1),
                                                 settings: settings, labels: .none, whenBehind: .block)
        let binsPerGap = Int(settings.maxGap / settings.binWidth)
        #expect(trace.bins.count <= 2 * binsPerGap + 3)
        #expect(trace.bins.count > Int(2_000_000 / settings.binWidth))  // the 2 s gap was filled
        #expect(summary.status.binsSkipped > 0)
    }

    @Test("settings written before --max-gap replay with the old 100,000-bin bound")
    func legacyMaxGap() throws {
        var settings = testSettings(learn: false)
        settings.maxGap = 123
        var json = try JSONSerialization.jsonObject(with: JSONEncoder().encode(settings)) as? [String: Any] ?? [:]
        json["maxGap"] = nil
        let decoded = try JSONDecoder().decode(SessionSettings.self, from: JSONSerialization.data(withJSONObject: json))
        #expect(decoded.maxSilentBins == 100_000)
    }

    @Test("a Gesture label of class -2^63 or past the class limit is a line error (#9)",
          arguments: ["class,startTime_usec,endTime_usec\n-9223372036854775808,0,1000\n",
                      "0,1000,9223372036854775807\n", "0,1000,100000\n"])
    func classOutOfRange(csv: String) {
        #expect { try LabelSchedule(csv: csv, file: "l.csv") } throws: { error in
            (error as? PipelineError)?.line == csv.split(separator: "\n").count
        }
    }

    @Test("an interval overlapping any earlier one is refused, whatever the line order (#9)",
          arguments: ["0,1000,1\n2000,3000,2\n500,2500,3\n", "2000,3000,2\n0,5000,1\n", "0,10000,1\n2000,3000,2\n"])
    func overlaps(csv: String) {
        #expect { try LabelSchedule(csv: csv, file: "l.csv") } throws: { error in
            (error as? PipelineError)?.expected.contains("overlap") == true
        }
    }

    @Test("intervals out of order but apart are accepted and sorted")
    func unorderedApart() throws {
        let s = try LabelSchedule(csv: "2000,3000,2\n0,1000,1\n1000,2000,0\n", file: "l.csv")
        #expect(s.intervals.map(\.start) == [0, 1000, 2000])
    }

    @Test("a line longer than the line limit is refused in a label file")
    func longLabelLine() {
        var limits = Limits()
        limits.lineBytes = 64
        let csv = "0,1000,1\n" + String(repeating: "9", count: 100) + ",2000,1\n"
        let saved = Limits.current
        Limits.current = limits
        defer { Limits.current = saved }
        #expect { try LabelSchedule(csv: csv, file: "l.csv") } throws: { error in (error as? PipelineError)?.line == 2 }
    }
}
