import Pipeline
import Testing

@Suite("SampleAccuracy")
struct SampleAccuracyTests {
    typealias Interval = LabelSchedule.Interval

    @Test("a sample is scored by the prediction at its last bin, when the next sample or silence begins")
    func lastBinDecides() {
        var acc = SampleAccuracy(classes: 3, window: 2)
        let a = Interval(start: 0, end: 100, label: 1), b = Interval(start: 130, end: 230, label: 2)
        #expect(acc.observe(predicted: 0, in: a) == nil)
        #expect(acc.observe(predicted: 1, in: a) == nil)                  // the last bin of a says 1: right
        let closedA = acc.observe(predicted: 0, in: nil)                  // silence closes a
        #expect(closedA?.label == 1 && closedA?.predicted == 1)
        #expect(acc.observe(predicted: 2, in: b) == nil)
        #expect(acc.observe(predicted: 0, in: b) == nil)                  // the last bin of b says 0: wrong
        let closedB = acc.close()
        #expect(closedB?.label == 2 && closedB?.predicted == 0)
        #expect(acc.close() == nil)
        #expect(acc.scored == 2 && acc.correct == 1)
        #expect(acc.accuracy == 0.5)
        #expect(acc.confusion == [[0, 0, 0], [0, 1, 0], [1, 0, 0]])
    }

    @Test("back-to-back samples close each other; the rolling window keeps the most recent outcomes")
    func rollingWindow() {
        var acc = SampleAccuracy(classes: 2, window: 2)
        let samples = [(0, 0), (1, 0), (1, 1), (0, 0)]                      // (label, predicted): right, wrong, right, right
        for (i, (label, predicted)) in samples.enumerated() {
            acc.observe(predicted: predicted, in: Interval(start: Int64(i) * 10, end: Int64(i) * 10 + 10, label: label))
        }
        acc.close()
        #expect(acc.scored == 4 && acc.correct == 3)
        #expect(acc.rollingAccuracy == 1.0)                               // the last two were right
    }
}
