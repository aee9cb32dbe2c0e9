import Foundation
import Testing
import TestSupport

/// The MPI parts on real ranks: `mpirun -np 2` and `-np 3` (an uneven shard) of the rank program, one scenario
/// per test. Skipped, with the reason, where mpirun is absent.
@Suite("data-parallel parts under mpirun", .enabled(if: MPIRun.available, MPIRun.skipReason), .serialized)
struct RankProgramTests {
    /// Runs `scenario` and expects every rank's `ok` line; returns them by rank.
    func expectAllOK(_ scenario: String, ranks: Int, _ extra: [String] = []) throws -> [Int: String] {
        let outcome = try MPIRun.run(ranks: ranks, [scenario] + extra)
        let lines = outcome.okLines(scenario)
        #expect(outcome.status == 0 && lines.count == ranks,
                "\(scenario) on \(ranks) ranks: status \(outcome.status), output:\n\(outcome.output)")
        return lines
    }

    @Test("sums, counts, maxima and broadcasts equal their serial values", arguments: [2, 3])
    func collectives(ranks: Int) throws {
        let lines = try expectAllOK("collectives", ranks: ranks)
        for line in lines.values {
            let diff = MPIRun.Outcome.value("maxdiff", in: line).flatMap(Float.init)
            #expect(diff != nil && diff! <= 1e-5, "\(line)")
        }
    }

    @Test("the shards of every batch are disjoint and cover it", arguments: [2, 3])
    func shards(ranks: Int) throws {
        _ = try expectAllOK("shard", ranks: ranks)
    }

    /// 2 ranks: 4 + 3 of 7; 3 ranks: 3 + 2 + 2 of 7, and 1 + 1 + 0 of 2 (an empty rank contributes zeros).
    @Test("reduced gradients and SGD steps equal one process at the global batch",
          arguments: [(2, 7), (3, 7), (3, 2)])
    func reducer(ranks: Int, global: Int) throws {
        let lines = try expectAllOK("reducer", ranks: ranks, ["\(global)"])
        for line in lines.values {
            let g = MPIRun.Outcome.value("gradient_maxdiff", in: line).flatMap(Float.init)
            let w = MPIRun.Outcome.value("weight_maxdiff", in: line).flatMap(Float.init)
            #expect(g != nil && g! <= 1e-6 && w != nil && w! <= 1e-5, "\(line)")
        }
    }

    @Test("a weight changed by one ulp on one rank is reported on every rank")
    func divergence() throws {
        let lines = try expectAllOK("diverge", ranks: 3)
        #expect(lines.values.allSatisfy { MPIRun.Outcome.value("differing", in: $0) == "1" }, "\(lines)")
    }

    /// Every rank reads the checkpoint itself; the trainer compares the optimizer state's checksum before the
    /// first step (and after every epoch), so the moments are identical on every rank or the run stops.
    @Test("on resume every rank holds the saved optimizer state; one changed moment stops every rank",
          arguments: ["sgd", "adam"])
    func resumedOptimizerState(optimizer: String) throws {
        let dir = try SharedMaterial.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        let lines = try expectAllOK("resume", ranks: 3, [dir.path, optimizer])
        let values = { (key: String) in Set(lines.values.compactMap { MPIRun.Outcome.value(key, in: $0) }) }
        #expect(values("loaded").count == 1 && values("loaded") == values("saved"), "\(lines)")
        #expect(values("after").count == 1 && values("after") != values("loaded"), "\(lines)")
        #expect(values("weights").count == 1, "\(lines)")
        #expect(values("tensors").first.flatMap(Int.init).map { $0 > 0 } == true, "\(lines)")

        let changed = try SharedMaterial.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: changed) }
        let refused = try expectAllOK("resume", ranks: 3, [changed.path, optimizer, "perturb"])
        #expect(refused.values.allSatisfy { MPIRun.Outcome.value("refused", in: $0) == "1" }, "\(refused)")
    }

    @Test("a rank that stops on an error stops the job at once")
    func failingRank() throws {
        let outcome = try MPIRun.run(ranks: 3, ["fail"], timeout: 60)
        #expect(outcome.status == 4, "status \(outcome.status):\n\(outcome.output)")
        #expect(outcome.seconds < 20, "the job took \(outcome.seconds) s to stop")
        #expect(outcome.output.contains("bad argument on this rank"), "\(outcome.output)")
        #expect(outcome.okLines("fail").isEmpty && !outcome.output.contains("FAIL"), "\(outcome.output)")
    }

    /// mpirun sends the survivors SIGTERM: a handler can say why in one line (`-q` silences mpirun's own notice).
    @Test("a killed rank makes mpirun stop the others within seconds")
    func killedRank() throws {
        let outcome = try MPIRun.run(ranks: 3, ["kill"], timeout: 60)
        let stopped = outcome.output.split(separator: "\n").filter { $0.hasPrefix("kill: stopped by the launcher") }
        // Each survivor says why in one line; on a loaded machine mpirun's follow-up SIGKILL can reach a survivor
        // before its handler has written, so at least one line, never more than one per survivor.
        #expect((1...2).contains(stopped.count), "\(outcome.output)")
        #expect(outcome.status != 0, "the job succeeded:\n\(outcome.output)")
        #expect(outcome.seconds < 20, "the job took \(outcome.seconds) s to stop")
        #expect(outcome.output.contains("exited on signal 9"), "\(outcome.output)")
        #expect(!outcome.output.contains("FAIL"), "\(outcome.output)")
    }
}
