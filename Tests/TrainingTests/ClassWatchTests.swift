import Testing
import Training

@Suite("ClassWatch: when each class was last taught, and whether a new class engaged the class memory")
struct ClassWatchTests {
    /// Teaches `labels` in order, the learner having made `updates(step)` updates before each.
    static func watch(_ labels: [Int], after: Int = 2, recent: Int = 4, updates: (Int) -> Int = { $0 }) -> [Bool] {
        var w = ClassWatch(classes: 4)
        return labels.enumerated().map { i, k in
            w.taught(k, updates: updates(i), after: after, recent: recent)
            return w.engaged
        }
    }

    @Test("classes first taught before `after` updates do not engage it; one first taught after does")
    func engages() {
        #expect(Self.watch([0, 1, 0, 1, 0, 1], updates: { _ in 1 }) == [false, false, false, false, false, false])
        #expect(Self.watch([0, 1, 0, 1, 2], updates: { _ in 5 }).last == true)
        // The first class of all is not a new one, however late it comes.
        #expect(Self.watch([3], updates: { _ in 100 }) == [false])
        // A watch begun on a learner that had learned already (restored without one) counts from there.
        var late = ClassWatch(classes: 4, since: 50)
        for k in [0, 1] { late.taught(k, updates: 51, after: 2, recent: 4) }
        #expect(!late.engaged)
        late.taught(2, updates: 52, after: 2, recent: 4)
        #expect(late.engaged)
    }

    @Test("it stays engaged while a class taught earlier is absent, and releases when all have come again recently")
    func releases() {
        // 0 and 1 early; 2 new at step 5; only 2 for a while: engaged; then 0, 1, 2 within 4 steps: released.
        let e = Self.watch([0, 1, 0, 1, 2, 2, 2, 2, 2, 2, 0, 1, 2, 0], after: 0)
        #expect(e[4] && e[9], "\(e)")
        #expect(e[12] == false, "\(e)")
    }

    @Test("its text round-trips; damaged text or another number of classes reads as nil")
    func text() {
        var w = ClassWatch(classes: 3)
        for (i, k) in [0, 1, 0, 2].enumerated() { w.taught(k, updates: i, after: 1, recent: 10) }
        #expect(w.engaged && w.text == "steps=4 engaged=4 since=0 last=3,2,4")
        #expect(ClassWatch(text: w.text, classes: 3) == w)
        for bad in ["", "steps=4 engaged=4 since=0 last=3,2", "steps=4 engaged=5 since=0 last=3,2,4",
                    "steps=4 engaged=0 since=0 last=3,2,9", "steps=-1 engaged=0 since=0 last=0,0,0",
                    "steps=4 engaged=0 since=0 last=3,x,4", "steps=4 engaged since=0 last=1,1,1",
                    "steps=4 engaged=4 last=3,2,4", "steps=4 engaged=4 since=-2 last=3,2,4"] {
            #expect(ClassWatch(text: bad, classes: 3) == nil, "\(bad)")
        }
        #expect(ClassWatch(text: w.text, classes: 4) == nil)
    }
}
