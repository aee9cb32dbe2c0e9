import Testing
import Tensors
import Training

@Suite("samples and batches")
struct SampleSetTests {
    @Test("synthetic samples are reproducible, labelled i mod K, binary, and differ between train and test")
    func synthetic() {
        let a = SyntheticSamples(count: 8, classes: 4, steps: 3, frameShape: [2, 4, 4], first: 0, seed: 7)
        let b = SyntheticSamples(count: 8, classes: 4, steps: 3, frameShape: [2, 4, 4], first: 0, seed: 7)
        let test = SyntheticSamples(count: 8, classes: 4, steps: 3, frameShape: [2, 4, 4], first: 8, seed: 7)
        #expect(a.labels == [0, 1, 2, 3, 0, 1, 2, 3])
        func values(_ s: SyntheticSamples, _ i: Int) -> [Float] {
            var out = [Float](repeating: -1, count: 3 * 32)
            var none: SeededGenerator? = nil
            out.withUnsafeMutableBufferPointer { s.write(i, into: $0.baseAddress!, augment: &none) }
            return out
        }
        #expect(values(a, 5) == values(b, 5))
        #expect(values(a, 5) != values(test, 5))
        #expect(values(a, 5).allSatisfy { $0 == 0 || $0 == 1 })
    }

    @Test("a batch holds sample b's step t at frames[t][b], and the last short batch gets its own tensors")
    func batchLayout() {
        let set = SyntheticSamples(count: 5, classes: 2, steps: 2, frameShape: [2, 2, 2], first: 0, seed: 1)
        let assembler = BatchAssembler()
        var none: SeededGenerator? = nil
        let (frames, labels) = assembler.batch(set, indices: [3, 1, 4], augment: &none)
        #expect(labels == [1, 1, 0])
        #expect(frames.count == 2 && frames[0].shape == [3, 2, 2, 2])
        var sample = [Float](repeating: 0, count: 16)
        sample.withUnsafeMutableBufferPointer { set.write(4, into: $0.baseAddress!, augment: &none) }
        for t in 0..<2 { #expect(Array(frames[t].values[16..<24]) == Array(sample[(t * 8)..<(t * 8 + 8)])) }
        let (short, _) = assembler.batch(set, indices: [0], augment: &none)
        #expect(short[0].shape == [1, 2, 2, 2])
    }
}
