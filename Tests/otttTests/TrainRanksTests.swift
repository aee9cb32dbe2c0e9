import Foundation
import Testing
import TestSupport
import Training
import Tensors

/// `mpirun -np N ottt train` on synthetic data, against one process (`ottt train` without a launcher).
/// Skipped, with the reason, where mpirun is absent.
@Suite("ottt train on MPI ranks", .enabled(if: TrainRanks.available, MPIRun.skipReason), .serialized)
struct TrainRanksTests {
    @Test("2 and 3 ranks train as 1 rank at the same global batch: weights, validation, checkpoint", arguments: [2, 3])
    func equivalence(ranks: Int) throws {
        let dir = try SharedMaterial.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        let one = try TrainRanks.single(TrainRanks.run + ["--out", "one"], in: dir)
        #expect(one.status == 0, "\(one.output)")
        let many = try MPIRun.launch(["-np", "\(ranks)", TrainRanks.ottt] + TrainRanks.run + ["--out", "many"], directory: dir)
        #expect(many.status == 0, "\(many.output)")
        let a = try Checkpoint.load(from: dir.appendingPathComponent("one/last.safetensors").path)
        let b = try Checkpoint.load(from: dir.appendingPathComponent("many/last.safetensors").path)
        let weights = TrainRanks.maxDifference(a.network.parameters.map { ($0.name, $0.value) },
                                               b.network.parameters.map { ($0.name, $0.value) })
        let momentum = TrainRanks.maxDifference(a.optimizerState.map { ($0.key, $0.value) },
                                                b.optimizerState.map { ($0.key, $0.value) })
        // 20 SGD steps at global batch 8 (T 4, dropout 0.2): only the order of float additions differs.
        #expect(weights <= TrainRanks.bound && momentum <= TrainRanks.bound, "weights \(weights), momentum \(momentum)")
        #expect(a.metadata["training"] == b.metadata["training"])
        let ha = try #require(EpochMetrics.decode(a.metadata["history"])), hb = try #require(EpochMetrics.decode(b.metadata["history"]))
        #expect(ha.count == 1 && hb.count == 1)
        #expect(ha.map(\.testAccuracy) == hb.map(\.testAccuracy), "\(ha) against \(hb)")
        #expect(abs(ha[0].trainLoss - hb[0].trainLoss) < 1e-5 && ha[0].trainAccuracy == hb[0].trainAccuracy)
        #expect(many.output.components(separatedBy: "epoch 1/1").count == 2, "one rank prints: \(many.output)")
        print("ranks \(ranks): max |Δw| \(weights), max |Δmomentum| \(momentum) after 20 steps")
    }

    @Test("a checkpoint of 2 ranks resumes on 1 and on 3 ranks as an uninterrupted run")
    func resumeAcrossRankCounts() throws {
        let dir = try SharedMaterial.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        let first = try MPIRun.launch(["-np", "2", TrainRanks.ottt] + TrainRanks.run + ["--out", "two"], directory: dir)
        #expect(first.status == 0, "\(first.output)")
        let resume = ["train", "--resume", "two/last.safetensors", "--epochs", "2"]
        let onOne = try TrainRanks.single(resume + ["--out", "one"], in: dir)
        let onThree = try MPIRun.launch(["-np", "3", TrainRanks.ottt] + resume + ["--out", "three"], directory: dir)
        let straight = try TrainRanks.single(TrainRanks.run + ["--epochs", "2", "--out", "straight"], in: dir)
        for o in [onOne, onThree, straight] { #expect(o.status == 0, "\(o.output)") }
        let load = { (name: String) throws -> Checkpoint in
            try Checkpoint.load(from: dir.appendingPathComponent("\(name)/last.safetensors").path)
        }
        let s = try load("straight")
        for name in ["one", "three"] {
            let c = try load(name)
            let d = TrainRanks.maxDifference(s.network.parameters.map { ($0.name, $0.value) },
                                             c.network.parameters.map { ($0.name, $0.value) })
            // The momenta too: every rank resumed from the file's optimizer state (compared across ranks).
            let m = TrainRanks.maxDifference(s.optimizerState.map { ($0.key, $0.value) }, c.optimizerState.map { ($0.key, $0.value) })
            #expect(d <= 2 * TrainRanks.bound && m <= 2 * TrainRanks.bound && !c.optimizerState.isEmpty,
                    "\(name): weights \(d), momentum \(m)")
        }
    }

    @Test("a killed rank stops the others within seconds, with one line, and the checkpoint stays valid")
    func killedRank() throws {
        let dir = try SharedMaterial.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        let long = ["train", "--dataset", "synthetic", "--net", "2x8x8:c4-a2-fc4", "--T", "3", "--batch", "8",
                    "--samples", "512", "--epochs", "500", "--out", "run"]
        let job = try TrainRanks.Job(["-np", "2", TrainRanks.ottt] + long, directory: dir)
        let started = job.waitFor("epoch 2/500", seconds: 40)
        #expect(started, "\(job.output)")
        let ranks = job.children()
        #expect(ranks.count == 2, "ranks \(ranks)")
        guard started, let victim = ranks.last else { job.stop(); return }
        kill(victim, SIGKILL)
        let stoppedIn = job.waitForExit(seconds: 20)
        #expect(stoppedIn != nil && stoppedIn! < 5, "stopped after \(stoppedIn ?? -1) s:\n\(job.output)")
        #expect(job.output.components(separatedBy: "stopped by the launcher").count == 2, "\(job.output)")
        #expect(job.status != 0)
        let checkpoint = try Checkpoint.load(from: dir.appendingPathComponent("run/last.safetensors").path)
        #expect(EpochMetrics.decode(checkpoint.metadata["history"])?.isEmpty == false)
    }

    @Test("bad arguments or another configuration on one rank stop every rank")
    func badArgumentsOnOneRank() throws {
        let dir = try SharedMaterial.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        let long = TrainRanks.run + ["--epochs", "200"]
        let bad = try MPIRun.launch(["-np", "1", TrainRanks.ottt] + long + [":", "-np", "1", TrainRanks.ottt] + long
                                        + ["--batch", "zero"], directory: dir, timeout: 30)
        #expect(bad.status != 0 && bad.seconds < 10, "\(bad.seconds) s: \(bad.output)")
        #expect(bad.output.contains("--batch"), "\(bad.output)")
        let other = try MPIRun.launch(["-np", "1", TrainRanks.ottt] + long + [":", "-np", "1", TrainRanks.ottt] + long
                                          + ["--seed", "2"], directory: dir, timeout: 30)
        #expect(other.status != 0 && other.seconds < 10, "\(other.seconds) s: \(other.output)")
        #expect(other.output.contains("ranks hold another training configuration than rank 0"), "\(other.output)")
    }
}

/// The runs and helpers of `TrainRanksTests`.
enum TrainRanks {
    static let ottt = MPIRun.program("ottt") ?? "ottt"
    static var available: Bool { MPIRun.launcher != nil && MPIRun.program("ottt") != nil }
    /// 160 samples at global batch 8: 20 optimizer steps an epoch; dropout to check its per-sample masks.
    static let run = ["train", "--dataset", "synthetic", "--net", "2x8x8:c8-a2-c8-a2-fc4", "--T", "4", "--batch", "8",
                      "--samples", "160", "--epochs", "1", "--dropout", "0.2", "--lr", "0.1"]
    /// Max abs weight difference allowed after 20 steps (measured: see the README's "exact and not").
    static let bound: Float = 1e-6

    /// `ottt words…` as one process, without a launcher.
    static func single(_ words: [String], in dir: URL) throws -> MPIRun.Outcome {
        let job = try Job(nil, words, directory: dir)
        _ = job.waitForExit(seconds: 60)
        return MPIRun.Outcome(status: job.status, output: job.output, seconds: 0)
    }

    static func maxDifference(_ a: [(String, Tensor)], _ b: [(String, Tensor)]) -> Float {
        let right = Dictionary(b, uniquingKeysWith: { x, _ in x })
        var most: Float = a.count == b.count ? 0 : .infinity
        for (name, x) in a {
            guard let y = right[name], y.count == x.count else { return .infinity }
            for i in 0..<x.count { most = max(most, abs(x.data[i] - y.data[i])) }
        }
        return most
    }

    /// A process whose output is collected as it comes.
    final class Job: @unchecked Sendable {
        let process = Process()
        private let lock = NSLock()
        private var collected = Data()

        /// `mpirun` with `arguments` (as `MPIRun.launch`).
        convenience init(_ arguments: [String], directory: URL) throws {
            try self.init(MPIRun.launcher ?? "mpirun", ["--allow-run-as-root", "--oversubscribe"] + arguments, directory: directory)
        }

        /// `executable arguments…`, or ottt itself when `executable` is nil.
        init(_ executable: String?, _ arguments: [String], directory: URL) throws {
            let pipe = MPIRun.prepare(process, executable ?? TrainRanks.ottt, arguments, directory: directory)
            pipe.fileHandleForReading.readabilityHandler = { [weak self] h in
                let d = h.availableData
                guard let self, !d.isEmpty else { return }
                lock.lock(); collected.append(d); lock.unlock()
            }
            try process.run()
        }

        var output: String { lock.lock(); defer { lock.unlock() }; return String(decoding: collected, as: UTF8.self) }
        var status: Int32 { process.isRunning ? -1 : process.terminationStatus }

        /// Whether `text` appeared in the output within `seconds`.
        func waitFor(_ text: String, seconds: Double) -> Bool {
            let end = Date().addingTimeInterval(seconds)
            while Date() < end {
                if output.contains(text) { return true }
                if !process.isRunning { return output.contains(text) }
                usleep(50_000)
            }
            return false
        }

        /// Seconds until the process ended, or nil (it is stopped then) after `seconds`.
        func waitForExit(seconds: Double) -> Double? {
            let start = Date()
            while process.isRunning {
                if Date().timeIntervalSince(start) > seconds { stop(); return nil }
                usleep(20_000)
            }
            usleep(100_000)   // the last output
            return Date().timeIntervalSince(start)
        }

        /// The process ids whose parent is this process (mpirun's ranks on this machine).
        func children() -> [Int32] {
            let me = process.processIdentifier
            let entries = (try? FileManager.default.contentsOfDirectory(atPath: "/proc")) ?? []
            return entries.compactMap(Int32.init).filter { pid in
                guard let stat = try? String(contentsOfFile: "/proc/\(pid)/stat", encoding: .utf8),
                      let close = stat.lastIndex(of: ")") else { return false }
                let fields = stat[stat.index(after: close)...].split(separator: " ")
                return fields.count > 1 && Int32(fields[1]) == me
            }.sorted()
        }

        func stop() {
            if process.isRunning { process.terminate() }
            process.waitUntilExit()
        }
    }
}
