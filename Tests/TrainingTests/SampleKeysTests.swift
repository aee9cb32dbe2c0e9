import Testing
import Tensors
import Training

/// A sample set whose "augmentation" writes the generator's draws, so a test sees which generator a sample got.
private struct DrawingSamples: SampleSet {
    let count = 6, classes = ["a", "b"], steps = 2, frameShape = [1, 2, 2]
    func label(_ i: Int) -> Int { i % 2 }
    func write(_ i: Int, into out: UnsafeMutablePointer<Float>, augment rng: inout SeededGenerator?) {
        for j in 0..<8 { out[j] = Float(i) + (rng?.uniform() ?? 0) }
    }
}

@Suite("sample keys")
struct SampleKeysTests {
    @Test("a sample's augmentation depends on its key alone, not on its slot in the batch")
    func augmentationPerSample() {
        let set = DrawingSamples(), keys = SampleKeys(seed: 42)
        let assembler = BatchAssembler()
        let (whole, _) = assembler.batch(set, indices: [4, 2, 5], augmentKeys: [0, 1, 2].map(keys.augmentation))
        let wholeRow = Array(UnsafeBufferPointer(start: whole[1].data + 2 * 4, count: 4))
        let (part, _) = assembler.batch(set, indices: [5], augmentKeys: [keys.augmentation(2)])
        let partRow = Array(UnsafeBufferPointer(start: part[1].data, count: 4))
        #expect(wholeRow == partRow)
        #expect(wholeRow.contains { $0 != 5 }, "augmented: \(wholeRow)")
    }

    @Test("keys differ between positions, between augmentation and dropout, and between epochs")
    func distinct() {
        let a = SampleKeys(seed: 1), b = SampleKeys(seed: 2)
        let all = (0..<100).flatMap { [a.augmentation($0), a.dropout($0), b.augmentation($0)] }
        #expect(Set(all).count == all.count)
    }
}
