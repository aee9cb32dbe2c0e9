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

    @Test("forRanges visits every index exactly once, with boundaries on the alignment",
          arguments: [(0, 1, 1), (5, 1, 1), (1000, 10, 1), (100_003, 1000, 16), (64, 64, 16), (33, 1, 16)])
    func covers(_ count: Int, _ grain: Int, _ alignment: Int) {
        let record = Record(count)
        Parallel.forRanges(count, grain: grain, alignment: alignment) { record.note($0) }
        #expect(record.hits.allSatisfy { $0 == 1 })
        #expect(record.starts.allSatisfy { $0 % alignment == 0 })
        #expect(record.starts.count <= Parallel.cores)
    }

    @Test("run calls every part once, also from inside a part and from several threads at a time")
    func runParts() async {
        let record = Record(64)
        // Jobs from four tasks at once: one holds the pool, the others run their parts inline.
        await withTaskGroup(of: Void.self) { group in
            for t in 0..<4 {
                group.addTask {
                    for job in 0..<50 {
                        Parallel.run(parts: 4) { p in
                            // A nested job runs inline.
                            Parallel.run(parts: 2) { q in record.note((t * 16 + p * 4 + q * 2 + job % 2)..<(t * 16 + p * 4 + q * 2 + job % 2 + 1)) }
                        }
                    }
                }
            }
        }
        // Each of the 64 slots t·16 + p·4 + q·2 + (job mod 2) is hit by 25 of the 50 jobs.
        #expect(record.hits.allSatisfy { $0 == 25 })
    }
}
