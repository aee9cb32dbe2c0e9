import Testing
@testable import Pipeline

@Suite("ResetPolicy: when the learner forgets its state")
struct ResetPolicyTests {
    @Test("parses never, label and silence durations", arguments: [
        ("never", ResetPolicy.never), ("label", .label), ("silence:200ms", .silence(200_000)),
        ("silence:1.5s", .silence(1_500_000)), ("silence:5000us", .silence(5000)), ("silence:750", .silence(750)),
    ])
    func parses(text: String, policy: ResetPolicy) throws {
        #expect(try ResetPolicy(parsing: text) == policy)
    }

    @Test("rejects other words", arguments: ["sometimes", "silence:", "silence:-2ms", "silence:0", "silence:fast"])
    func rejects(text: String) {
        #expect(throws: PipelineError.self) { try ResetPolicy(parsing: text) }
    }

    @Test("label resets when the label changes, not on the first frame")
    func labelChanges() {
        var tracker = ResetTracker(policy: .label)
        let labels: [Int?] = [1, 1, 2, 2, nil, nil, 2, 3]
        let resets = labels.enumerated().map { i, l in tracker.shouldReset(before: testFrame(bin: i, values: []), label: l) }
        #expect(resets == [false, false, true, false, true, false, true, true])
    }

    @Test("silence resets once when a run of empty bins reaches the duration")
    func silence() {
        var tracker = ResetTracker(policy: .silence(3000))          // 3 bins of 1 ms
        let events = [5, 0, 0, 0, 0, 0, 2, 0, 0, 0, 4]
        let resets = events.enumerated().map { i, n in
            tracker.shouldReset(before: testFrame(bin: i, events: n, values: []), label: nil)
        }
        #expect(resets == [false, false, false, true, false, false, false, false, false, true, false])
    }

    @Test("never never resets")
    func never() {
        var tracker = ResetTracker(policy: .never)
        #expect((0..<20).allSatisfy { !tracker.shouldReset(before: testFrame(bin: $0, events: 0, values: []), label: $0 % 3) })
    }
}
