import DataParallel
import MessagePassing
import Tensors
#if canImport(Glibc)
import Glibc
#endif

/// Rank r's test values: seeded by (seed, r), so any rank can compute every rank's.
func values(rank: Int, count: Int, seed: UInt64) -> [Float] {
    var g = SeededGenerator(seed: seed &+ UInt64(rank) &* 7919)
    return (0..<count).map { _ in g.uniform() * 2 - 1 }
}

/// Blocking and nonblocking float sums against the serial sum, Int64 sums, maximum, broadcasts of floats and bytes.
func collectives(_ r: Ranks, _ arguments: [String]) throws {
    let c = r.communicator
    let n = 100_003
    var serial = [Float](repeating: 0, count: n)
    for k in 0..<r.size { for (i, v) in values(rank: k, count: n, seed: 1).enumerated() { serial[i] += v } }

    var blocking = values(rank: r.rank, count: n, seed: 1)
    try blocking.withUnsafeMutableBufferPointer { try c.sumInPlace($0) }
    var nonblocking = values(rank: r.rank, count: n, seed: 1)
    let pending = try nonblocking.withUnsafeMutableBufferPointer { try c.startSumInPlace($0) }
    while try !pending.poll() {}
    try pending.wait()
    let diff = zip(serial, blocking).map { abs($0 - $1) }.max() ?? 0
    r.expect(blocking == nonblocking, "blocking and nonblocking sums differ")
    r.expect(diff <= 1e-5, "sum differs from the serial sum by \(diff)")

    let counts = try c.sum([Int64(r.rank + 1), 1 << 40])
    let s = Int64(r.size)
    r.expect(counts == [s * (s + 1) / 2, s << 40], "Int64 sums \(counts)")
    let halves = try c.sum([0.5, Double(r.rank)])
    r.expect(halves == [0.5 * Double(r.size), Double(r.size * (r.size - 1) / 2)], "Double sums \(halves)")
    let most = try c.maximum([Double(r.rank), -Double(r.rank)])
    r.expect(most == [Double(r.size - 1), 0], "maximum \(most)")

    var floats = values(rank: r.rank, count: 1000, seed: 2)
    try floats.withUnsafeMutableBufferPointer { try c.broadcast($0, from: r.size - 1) }
    r.expect(floats == values(rank: r.size - 1, count: 1000, seed: 2), "float broadcast from the last rank")
    let text = try c.broadcast(r.rank == 0 ? Array("from rank 0".utf8) : [], from: 0)
    r.expect(text == Array("from rank 0".utf8), "byte broadcast")
    try c.barrier()
    r.ok(["maxdiff": "\(diff)"])
}

/// Every sample of every batch read by exactly one rank: per-sample counts summed over ranks are all 1.
func shard(_ r: Ranks, _ arguments: [String]) throws {
    var g = SeededGenerator(seed: 5)
    var order = Array(0..<53)
    order.shuffle(using: &g)
    for batch in [16, 7, 2, 1] {
        let plan = BatchShard(order: order, globalBatch: batch, rank: r.rank, size: r.size)
        var reads = [Int64](repeating: 0, count: order.count)
        var localTotal: Int64 = 0
        for k in 0..<plan.batchCount {
            for i in plan.indices(batch: k) { reads[i] += 1 }
            localTotal += Int64(plan.localRange(batch: k).count)
        }
        let summed = try r.communicator.sum(reads)
        r.expect(summed.allSatisfy { $0 == 1 }, "batch \(batch): samples read \(summed) times")
        let total = try r.communicator.sum([localTotal])
        r.expect(total == [Int64(order.count)], "batch \(batch): \(total) samples read in all")
    }
    r.ok()
}

/// The last rank changes one weight by one ulp; every rank must see the divergence.
func diverge(_ r: Ranks, _ arguments: [String]) throws {
    let net = Workload.network(seed: 1)
    try r.communicator.verifyIdenticalWeights(net.parameters)
    if r.rank == r.size - 1 { net.parameters[0].value.data[3] = net.parameters[0].value.data[3].nextUp }
    let outcome = Result { () throws(DataParallelError) in try r.communicator.verifyIdenticalWeights(net.parameters) }
    guard case .failure(.weightsDiverged(let ranks, let size, _, _)) = outcome else {
        r.fail("the changed weight was not noticed: \(outcome)")
    }
    r.expect(ranks == 1 && size == r.size, "\(ranks) of \(size) ranks reported")
    r.ok(["differing": "\(ranks)"])
}

/// Rank 1 kills itself in the middle of a run of allreduces; the others are left waiting in one until mpirun
/// stops them: SIGTERM first (each says so in one line, what `ottt train` will do), SIGKILL later.
func killOne(_ r: Ranks, _ arguments: [String]) throws {
    signal(SIGTERM) { _ in
        let line: StaticString = "kill: stopped by the launcher: another rank failed\n"
        _ = write(1, line.utf8Start, line.utf8CodeUnitCount)
        _exit(143)
    }
    var buffer = [Float](repeating: 1, count: 1 << 16)
    for i in 0..<100_000 {
        if r.rank == 1 && i == 20 { kill(getpid(), SIGKILL) }
        try buffer.withUnsafeMutableBufferPointer { try r.communicator.sumInPlace($0) }
        for j in buffer.indices { buffer[j] = 1 }
    }
    r.fail("the job went on after rank 1 was killed")
}

/// Rank 1 fails as on a bad argument (one line, then abort); the others wait in a barrier.
func failOne(_ r: Ranks, _ arguments: [String]) throws {
    if r.rank == 1 {
        say("rank 1/\(r.size) fail: bad argument on this rank, stopping every rank")
        r.communicator.abort(code: 4)
    }
    try r.communicator.barrier()
    r.fail("the barrier completed without rank 1")
}
