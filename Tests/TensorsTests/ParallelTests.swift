import Testing
import Tensors
#if canImport(Glibc)
import Glibc
#endif

@Suite("Parallel loops")
struct ParallelTests {
    /// What the parts saw, written under a lock (the parts of `forRanges` run concurrently).
    final class Record: @unchecked Sendable {
        var hits: [Int]
        var starts: [Int] = []
        private var mutex = pthread_mutex_t()
        init(_ n: Int) { hits = [Int](repeating: 0, count: n); pthread_mutex_init(&mutex, nil) }
        deinit { pthread_mutex_destroy(&mutex) }
        func note(_ range: Range<Int>) {
            pthread_mutex_lock(&mutex)
            starts.append(range.lowerBound)
            for i in range { hits[i] += 1 }
            pthread_mutex_unlock(&mutex)
        }
    }

    /// Notes every range it is called on.
    struct Noting: RangeLoop {
        let record: Record
        func callAsFunction(_ range: Range<Int>) { record.note(range) }
    }

    @Test("forRanges visits every index exactly once, with boundaries on the alignment",
          arguments: [(0, 1, 1), (5, 1, 1), (1000, 10, 1), (100_003, 1000, 16), (64, 64, 16), (33, 1, 16)])
    func covers(_ count: Int, _ grain: Int, _ alignment: Int) {
        let record = Record(count)
        Parallel.forRanges(count, grain: grain, alignment: alignment, Noting(record: record))
        #expect(record.hits.allSatisfy { $0 == 1 })
        #expect(record.starts.allSatisfy { $0 % alignment == 0 })
        #expect(record.starts.count <= Parallel.cores)
    }

    @Test("more parts than items: every item once, the empty ranges skipped")
    func morePartsThanItems() {
        let record = Record(3)
        Parallel.forRanges(3, parts: 8, Noting(record: record))
        #expect(record.hits == [1, 1, 1])
        #expect(record.starts.count == 3)
    }

    /// Four parts, each running a nested loop of two parts: slot t·16 + p·4 + q·2 + (job mod 2).
    struct Outer: RangeLoop {
        let record: Record, task: Int, job: Int
        func callAsFunction(_ parts: Range<Int>) {
            for p in parts { Parallel.forRanges(2, parts: 2, Inner(record: record, base: task * 16 + p * 4 + job % 2)) }
        }
    }

    struct Inner: RangeLoop {
        let record: Record, base: Int
        func callAsFunction(_ parts: Range<Int>) {
            for q in parts { record.note((base + q * 2)..<(base + q * 2 + 1)) }
        }
    }

    @Test("forRanges calls every part once, also from inside a part and from several threads at a time")
    func nestedAndConcurrent() async {
        let record = Record(64)
        // Jobs from four tasks at once: one holds the pool, the others run their parts inline.
        await withTaskGroup(of: Void.self) { group in
            for t in 0..<4 {
                group.addTask {
                    for job in 0..<50 { Parallel.forRanges(4, parts: 4, Outer(record: record, task: t, job: job)) }
                }
            }
        }
        // Each of the 64 slots is hit by 25 of the 50 jobs.
        #expect(record.hits.allSatisfy { $0 == 25 })
    }
}
