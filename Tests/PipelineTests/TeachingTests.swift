import DVSEvents
import Foundation
import Testing
@testable import Pipeline

/// Keys typed by a test instead of a person: `press` queues a key, the teacher's key thread reads it.
final class ScriptedKeys: KeyInput, @unchecked Sendable {
    // @unchecked: `pending` and `restored` are guarded by `lock`.
    private let lock = NSLock()
    private var pending: [UInt8] = []
    private(set) var restored = false

    func press(_ key: Character) {
        lock.lock(); pending.append(key.asciiValue!); lock.unlock()
    }

    func readKey() -> UInt8? {
        lock.lock()
        let key = pending.isEmpty ? nil : pending.removeFirst()
        lock.unlock()
        if key == nil { usleep(1000) }      // as the terminal's read returns after a while without a key
        return key
    }

    func restore() { lock.lock(); restored = true; lock.unlock() }
}

/// Waits (up to 2 s) until `condition` holds; the key and script threads post asynchronously.
func eventually(_ condition: () -> Bool) -> Bool {
    for _ in 0..<2000 {
        if condition() { return true }
        usleep(1000)
    }
    return condition()
}

@Suite("Teaching: keys and scripts set the label the learner learns from")
struct TeachingTests {
    final class QuitFlag: @unchecked Sendable {
        private let lock = NSLock()
        private var count = 0
        func raise() { lock.lock(); count += 1; lock.unlock() }
        var raised: Int { lock.lock(); defer { lock.unlock() }; return count }
    }

    @Test("keys 0–9 set label 0–9, digits past the network's classes are ignored, space and - clear it, q, Ctrl-C and Ctrl-D quit")
    func keyMapping() {
        let board = LabelBoard()
        let quit = QuitFlag()
        let teacher = KeyboardTeacher(terminal: ScriptedKeys(), board: board, classes: 4) { quit.raise() }
        func after(_ key: Character) -> Int? {
            teacher.handle(key.asciiValue!)
            return board.label(at: 0)
        }
        #expect(after("3") == 3)
        #expect(after("0") == 0)
        #expect(after("7") == 0, "class 7 does not exist in a 4-class network: the label stays")
        #expect(after("x") == 0, "other keys do nothing")
        #expect(after(" ") == nil)
        #expect(after("2") == 2)
        #expect(after("-") == nil)
        #expect(quit.raised == 0)
        teacher.handle(UInt8(ascii: "q"))
        teacher.handle(3)
        teacher.handle(4)
        #expect(quit.raised == 3)
    }

    @Test("a key pressed while the stream runs labels the following bins, and the learner learns from that label")
    func keyToLearner() throws {
        let keys = ScriptedKeys()
        let learner = TinyLearner(inputShape: [2, 4, 4], classes: 3)
        var plan = SessionPlan(settings: testSettings(), start: .learner(learner), sourceName: "keys")
        plan.settings.reset = .never
        plan.teaching = Teaching(keys: keys)
        let session = try LearningSession(source: ArraySource(syntheticEvents(count: 2000), sensor: testSensor, chunk: 50),
                                          plan: plan)
        guard case .board(let board) = session.labels else { Issue.record("teaching should label from a board"); return }
        var labels: [Int?] = []
        var typed = true
        _ = try session.run { _, p, _ in
            labels.append(p.label)
            // Between steps, as a person would: "2" after step 5, space after step 12; wait until the key thread
            // has posted it so that the test does not depend on thread timing.
            if p.step == 5 { keys.press("2"); typed = typed && eventually { board.label(at: 0) == 2 } }
            if p.step == 12 { keys.press(" "); typed = typed && eventually { board.label(at: 0) == nil } }
        }
        #expect(typed)
        #expect(keys.restored, "the end of the run gives the terminal back")
        #expect(labels.count == 20, "2000 events 50 µs apart in bins of 5 ms")
        #expect(Array(labels[..<5]) == Array(repeating: nil, count: 5))
        #expect(Array(labels[5..<12]) == Array(repeating: 2, count: 7))
        #expect(Array(labels[12...]) == Array(repeating: nil, count: 8))
        #expect(learner.log.filter { $0.hasPrefix("learn") } == Array(repeating: "learn 2", count: 7))
    }

    @Test("--teach-from - reads lines as they arrive on a pipe: now, times, names, none; bad lines are reported and skipped")
    func scriptFromPipe() throws {
        let pipe = Pipe()
        let board = LabelBoard()
        let reports = Reports()
        let teacher = ScriptTeacher(reading: pipe.fileHandleForReading, source: "stdin", streaming: true, board: board,
                                    names: ["idle", "wave", "clap"], classes: 3) { reports.add($0) }
        teacher.start()
        func send(_ text: String) { pipe.fileHandleForWriting.write(Data(text.utf8)) }

        send("now 2\n")
        #expect(eventually { board.label(at: 0) == 2 })
        send("now wave\n# a comment\n\n")
        #expect(eventually { board.label(at: 0) == 1 })
        send("now jump\n")
        #expect(eventually { reports.lines.count == 1 })
        #expect(reports.lines.first?.contains("line 5 of stdin") == true, "\(reports.lines)")
        #expect(reports.lines.first?.contains("idle, wave, clap") == true, "\(reports.lines)")
        send("1.5s clap\n2s none\n")
        pipe.fileHandleForWriting.closeFile()
        #expect(eventually { board.label(at: 1_499_999) == 1 && board.label(at: 1_500_000) == 2 })
        #expect(board.label(at: 2_000_000) == nil)
    }

    final class Reports: @unchecked Sendable {
        private let lock = NSLock()
        private var stored: [String] = []
        func add(_ line: String) { lock.lock(); stored.append(line); lock.unlock() }
        var lines: [String] { lock.lock(); defer { lock.unlock() }; return stored }
    }
}
