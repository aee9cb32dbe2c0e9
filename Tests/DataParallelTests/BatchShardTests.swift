import DataParallel
import Testing

@Suite("BatchShard")
struct BatchShardTests {
    @Test("slices are contiguous, in rank order, and the first count mod size ranks take one more",
          arguments: [(16, 3, [6, 5, 5]), (16, 2, [8, 8]), (7, 3, [3, 2, 2]), (2, 3, [1, 1, 0]), (0, 2, [0, 0])])
    func slices(count: Int, size: Int, expected: [Int]) {
        let slices = (0..<size).map { BatchShard.slice(of: count, rank: $0, size: size) }
        #expect(slices.map(\.count) == expected)
        #expect(slices.first?.lowerBound == 0 && slices.last?.upperBound == count)
        for (a, b) in zip(slices, slices.dropFirst()) { #expect(a.upperBound == b.lowerBound) }
    }

    @Test("every sample of an epoch is read once by exactly one rank, in the single-process batches",
          arguments: [1, 2, 3, 5])
    func disjointAndComplete(size: Int) {
        let order = (0..<53).map { ($0 * 37) % 53 }   // a permutation
        for batch in [1, 2, 7, 16, 53, 60] {
            let single = BatchShard(order: order, globalBatch: batch, rank: 0, size: 1)
            var seen: [Int: Int] = [:]
            for rank in 0..<size {
                let plan = BatchShard(order: order, globalBatch: batch, rank: rank, size: size)
                #expect(plan.batchCount == single.batchCount)
                for k in 0..<plan.batchCount {
                    let local = plan.indices(batch: k)
                    #expect(Set(local).isSubset(of: Set(single.indices(batch: k))), "batch \(k) of \(batch)")
                    for i in local { seen[i, default: 0] += 1 }
                }
            }
            #expect(seen.count == order.count && seen.values.allSatisfy { $0 == 1 }, "global batch \(batch)")
        }
    }

    @Test("the last batch holds the remainder")
    func lastBatch() {
        let plan = BatchShard(order: Array(0..<10), globalBatch: 4, rank: 1, size: 2)
        #expect(plan.batchCount == 3)
        #expect(plan.globalCount(batch: 2) == 2)
        #expect(plan.localRange(batch: 2) == 9..<10)
        #expect(Array(plan.indices(batch: 0)) == [2, 3])
    }
}
