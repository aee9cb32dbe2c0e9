import Testing
import Training

@Suite("confusion matrix")
struct ConfusionMatrixTests {
    @Test("counts, accuracy, per-class accuracy and mean loss")
    func counts() {
        var m = ConfusionMatrix(classes: ["a", "b", "c"])
        m.add(predictions: [0, 1, 1, 2], labels: [0, 1, 0, 2], batchLoss: 1.0)
        m.add(predictions: [2], labels: [1], batchLoss: 3.0)
        #expect(m.counts == [[1, 1, 0], [0, 1, 1], [0, 0, 1]])
        #expect(m.total == 5 && m.correct == 3)
        #expect(m.accuracy == 0.6)
        #expect(m.perClass == [0.5, 0.5, 1.0])
        #expect(abs(m.meanLoss - (4 * 1.0 + 3.0) / 5) < 1e-12)
        let empty = ConfusionMatrix(classes: ["a", "b"])
        #expect(empty.perClass == [nil, nil] && empty.accuracy == 0)
    }

    @Test("the text has a row per class with its accuracy")
    func text() {
        var m = ConfusionMatrix(classes: ["airplane", "cat"])
        m.add(predictions: [0, 0, 1], labels: [0, 1, 1], batchLoss: 0)
        let lines = m.text.split(separator: "\n")
        #expect(lines.count == 3)
        #expect(lines[1].hasPrefix("0 airplane") && lines[1].hasSuffix("100.00 %"))
        #expect(lines[2].hasPrefix("1 cat") && lines[2].hasSuffix("50.00 %"))
    }

    @Test("the compact table names classes and gives each row's accuracy as a fraction")
    func table() {
        var m = ConfusionMatrix(classCount: 2)
        for (p, l) in [(0, 0), (0, 0), (0, 0), (1, 0)] { m.add(prediction: p, label: l) }
        let text = m.table(names: ["left", "right"])
        #expect(text.contains("left"))
        #expect(text.contains("0.75"))
        #expect(text.split(separator: "\n").first?.hasPrefix("true\\pred") == true)
        #expect(text.split(separator: "\n").last?.hasSuffix("-") == true)   // no samples of "right"
        #expect(m.table().contains(" 1"))                                    // numbered without names
    }
}
