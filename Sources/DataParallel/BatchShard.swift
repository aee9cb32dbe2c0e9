/// Which samples of each global batch a rank reads: every rank computes it alike from the same seeded order.
///
/// An epoch visits `order` (a permutation of the N sample indices, drawn from the seed and the epoch exactly as a
/// single-process run draws it) in global batches of `globalBatch` consecutive entries; the last batch holds the
/// remaining N mod B samples when B does not divide N. Each global batch of b samples is cut into `size`
/// contiguous slices in rank order; when `size` does not divide b, the first b mod size ranks take one sample
/// more (b = 16 on 3 ranks: 6, 5, 5). A rank whose slice is empty (a last batch smaller than the number of
/// ranks) still joins the batch's gradient sum, contributing zeros.
///
/// So global batch k holds the same samples whatever the number of ranks, and the ranks' slices of it are
/// disjoint and cover it: a run on N ranks at global batch B trains on the same batches as one rank at batch B.
public struct BatchShard: Sendable, Equatable {
    /// The epoch's sample order, shared by every rank.
    public let order: [Int]
    /// B, the samples of one optimizer step summed over ranks.
    public let globalBatch: Int
    public let rank: Int
    public let size: Int

    public init(order: [Int], globalBatch: Int, rank: Int, size: Int) {
        precondition(globalBatch > 0, "global batch \(globalBatch)")
        precondition(size > 0 && rank >= 0 && rank < size, "rank \(rank) of \(size)")
        self.order = order; self.globalBatch = globalBatch; self.rank = rank; self.size = size
    }

    /// Global batches in the epoch (the last may be smaller).
    public var batchCount: Int { (order.count + globalBatch - 1) / globalBatch }

    /// The positions in `order` of global batch `k`.
    public func globalRange(batch k: Int) -> Range<Int> {
        precondition(k >= 0 && k < batchCount, "batch \(k) outside 0..<\(batchCount)")
        let start = k * globalBatch
        return start..<min(start + globalBatch, order.count)
    }

    /// The positions in `order` this rank reads of global batch `k` (possibly empty).
    public func localRange(batch k: Int) -> Range<Int> {
        let global = globalRange(batch: k)
        let slice = Self.slice(of: global.count, rank: rank, size: size)
        return (global.lowerBound + slice.lowerBound)..<(global.lowerBound + slice.upperBound)
    }

    /// The sample indices this rank reads of global batch `k`.
    public func indices(batch k: Int) -> ArraySlice<Int> { order[localRange(batch: k)] }

    /// The samples in global batch `k` on every rank together.
    public func globalCount(batch k: Int) -> Int { globalRange(batch: k).count }

    /// Rank `rank`'s slice of a batch of `count` samples cut into `size` contiguous parts, the first
    /// `count mod size` parts one longer.
    public static func slice(of count: Int, rank: Int, size: Int) -> Range<Int> {
        let base = count / size, extra = count % size
        let start = rank * base + min(rank, extra)
        return start..<(start + base + (rank < extra ? 1 : 0))
    }
}
