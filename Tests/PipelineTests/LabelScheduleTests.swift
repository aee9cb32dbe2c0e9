import Testing
@testable import Pipeline

@Suite("Label files and teaching scripts")
struct LabelScheduleTests {
    @Test("reads DVS128 Gesture's labels, classes 1–11 becoming 0–10")
    func gesture() throws {
        let csv = "class,startTime_usec,endTime_usec\n1,80048239,85092709\n2,89431170,95231883\n"
        let s = try LabelSchedule(csv: csv, file: "user01_labels.csv")
        #expect(s.intervals == [.init(start: 80048239, end: 85092709, label: 0), .init(start: 89431170, end: 95231883, label: 1)])
        #expect(s.label(from: 80_100_000, to: 80_110_000) == 0)
        #expect(s.label(from: 85_090_000, to: 85_100_000) == nil)   // straddles the end
        #expect(s.label(from: 86_000_000, to: 86_010_000) == nil)   // between samples
        #expect(s.label(from: 10, to: 20) == nil)
    }

    @Test("reads start_us,end_us,label without a header, labels by number or name")
    func plain() throws {
        let s = try LabelSchedule(csv: "0,1000,2\n1000,3000,wave\n", file: "l.csv", names: ["a", "b", "c", "wave"])
        #expect(s.intervals.map(\.label) == [2, 3])
        #expect(s.label(from: 1000, to: 2000) == 3)
    }

    @Test("bad lines name the file, line and what was found", arguments: [
        ("0,1000\n", 1), ("0,1000,2\n2000,1500,1\n", 2), ("0,1000,2\n500,1500,1\n", 2), ("x,y,z\n", 1), ("0,1,bogus\n", 1),
    ])
    func rejects(csv: String, line: Int) {
        #expect { try LabelSchedule(csv: csv, file: "bad.csv") } throws: { error in
            (error as? PipelineError)?.line == line && (error as? PipelineError)?.file == "bad.csv"
        }
    }

    @Test("teaching lines: now or a time, then a label, a name or none")
    func teachingLines() throws {
        func parse(_ s: String) throws -> LabelChange? {
            try LabelChange(parsing: s, names: ["left", "right"], classes: 10, source: "stdin", lineNumber: 1)
        }
        #expect(try parse("now 3") == LabelChange(when: .now, label: 3))
        #expect(try parse("2.5s right") == LabelChange(when: .at(2_500_000), label: 1))
        #expect(try parse("300ms none") == LabelChange(when: .at(300_000), label: nil))
        #expect(try parse("  # a comment") == nil)
        #expect(throws: PipelineError.self) { try parse("now 12") }
        #expect(throws: PipelineError.self) { try parse("soon 1") }
        #expect(throws: PipelineError.self) { try parse("now") }
    }

    @Test("the label board applies timed changes when the stream reaches them, and 'now' at once")
    func board() {
        let board = LabelBoard()
        board.post(LabelChange(when: .at(2000), label: 4))
        board.post(LabelChange(when: .at(1000), label: 3))
        #expect(board.label(at: 0) == nil)
        #expect(board.label(at: 1500) == 3)
        board.post(LabelChange(when: .now, label: 7))
        #expect(board.label(at: 1600) == 7)
        #expect(board.label(at: 2000) == 4)
    }
}
