import Foundation
import Testing
import TestSupport
@testable import Benchmarks

/// `bench decode --peers` against a fake tools/peer-decode written by the test: its JSON lines parsed, paired with
/// ours into ratios, and the skip path (ours only, one line saying why).
@Suite("decode benchmark side by side with the peers")
final class PeerComparisonTests {
    let dir: URL

    init() throws { dir = try SharedMaterial.temporaryDirectory() }
    deinit { try? FileManager.default.removeItem(at: dir) }

    /// An executable script at `dir/name` with `body`.
    func script(_ name: String, _ body: String) throws -> PeerTool {
        let path = dir.appendingPathComponent(name).path
        try ("#!/bin/sh\n" + body).write(toFile: path, atomically: true, encoding: .utf8)
        try FileManager.default.setAttributes([.posixPermissions: 0o755], ofItemAtPath: path)
        return PeerTool(path: path)
    }

    /// A fake tool that times every case at `thread` s of thread CPU and `process` s of process CPU, for 3,000
    /// events, and writes its arguments to `args`.
    func fakeTool(thread: Double, process: Double) throws -> PeerTool {
        try script("peer-decode", """
        echo "$@" >> \(dir.path)/args
        shift 2
        while [ $# -gt 1 ]; do
          echo "{\\"peer\\": \\"fakepeer\\", \\"version\\": \\"9.1\\", \\"case\\": \\"$1\\", \\"file\\": \\"$2\\", \\"events\\": 3000, \\"runs\\": 1, \\"best_thread_cpu_s\\": \(thread), \\"process_cpu_s\\": \(process), \\"wall_s\\": 0.01, \\"mevents_per_s\\": 1}"
          shift 2
        done
        """)
    }

    @Test("the tool's JSON lines parse; skipped, failed and stray lines are kept apart")
    func parse() {
        let figures = PeerTool.parse("""
        peer-decode: making a venv
        {"peer": "dv-processing", "version": "2.0.4", "case": "aedat4", "file": "/f", "events": 10, "runs": 2, "best_thread_cpu_s": 0.5, "process_cpu_s": 0.75, "wall_s": 0.8, "mevents_per_s": 2e-05}
        {"case": "evt2", "file": "/g", "skipped": "expelliarmus does not import: no module"}
        {"case": "evt3", "file": "/h", "failed": "expelliarmus: bad file"}
        """)
        #expect(figures.map(\.case) == ["aedat4", "evt2", "evt3"])
        #expect(figures[0].name == "dv-processing 2.0.4" && figures[0].note == nil)
        #expect(PeerComparison.peerRate(figures[0], measure: .oneThread) == 10 / 0.5 / 1e6)
        #expect(PeerComparison.peerRate(figures[0], measure: .twoThreads) == 10 / 0.5 / 1e6)
        #expect(PeerComparison.peerRate(figures[0], measure: .writing) == 10 / 0.75 / 1e6)
        #expect(figures[1].note?.hasPrefix("skipped: expelliarmus") == true)
        #expect(figures[2].note == "failed: expelliarmus: bad file")
    }

    func options() -> DecodeBenchmark.Options {
        var o = DecodeBenchmark.Options()
        (o.events, o.runs) = (3000, 1)
        o.cases = ["aedat4-zstd", "evt2", "csv"].compactMap(DecodeCase.named)
        return o
    }

    @Test("every round pairs ours with the fake peer on the same files: one and two threads, writing; ratio = ours / peer")
    func ratios() throws {
        let tool = try fakeTool(thread: 0.002, process: 0.005)
        var rows: [PeerComparison.Ratio] = []
        var skips: [String] = []
        try PeerComparison.run(options(), rounds: 2, tool: tool, skipped: { skips.append($0) }) { rows.append($0) }
        #expect(skips.isEmpty)
        // Per round: one thread for AEDAT 4 and EVT 2 (CSV has no peer), two threads and writing for AEDAT 4.
        #expect(rows.map(\.round) == [1, 1, 1, 1, 2, 2, 2, 2])
        #expect(rows.prefix(4).map(\.measure) == [.oneThread, .oneThread, .twoThreads, .writing])
        #expect(rows.prefix(4).map(\.label) == ["AEDAT 4.0 ZSTD", "EVT 2.0", "AEDAT 4.0 ZSTD", "AEDAT 4.0 ZSTD"])
        for r in rows {
            let expected = r.measure == .oneThread ? 3000 / 0.002 / 1e6 : r.measure == .twoThreads ? 3000 / 0.003 / 1e6
                                                                                                   : 3000 / 0.005 / 1e6
            #expect(abs((r.peerRate ?? 0) - expected) < 1e-9 && r.peer == "fakepeer 9.1")
            #expect(r.ours > 0 && r.ratio.map { abs($0 - r.ours / expected) < 1e-9 } == true)
            #expect(r.line.contains("fakepeer 9.1") && r.line.contains(String(format: "×%.2f", r.ours / expected)))
            #expect((r.peerWall != nil) == (r.measure == .twoThreads))
        }
        // Both rounds ran the tool on the same files: each read and the AEDAT 4 file written again.
        let calls = try String(contentsOfFile: dir.appendingPathComponent("args").path, encoding: .utf8)
            .split(separator: "\n").map { $0.split(separator: " ").map(String.init) }
        #expect(calls.count == 2 && calls[0] == calls[1])
        #expect(calls[0].enumerated().filter { $0.offset >= 2 && $0.offset % 2 == 0 }.map(\.element)
                == ["aedat4", "evt2", "write-aedat4-zstd"])
    }

    @Test("a tool that skips (exit 3) gives one line saying why, once, and ours only")
    func skipped() throws {
        let tool = try script("peer-decode", "echo 'peer-decode: making a venv' >&2\n"
                              + "echo 'peer-decode: skipped: python3 is not installed' >&2\nexit 3\n")
        var rows: [PeerComparison.Ratio] = []
        var skips: [String] = []
        try PeerComparison.run(options(), rounds: 2, tool: tool, skipped: { skips.append($0) }) { rows.append($0) }
        #expect(skips == ["peer-decode: skipped: python3 is not installed"])
        #expect(rows.count == 8 && rows.allSatisfy { $0.peerRate == nil && $0.ratio == nil && $0.ours > 0 })
        #expect(rows[0].line.hasSuffix("dv-processing: not timed"))
        #expect(rows[2].measure == .twoThreads && rows[2].line.contains("(wall: ottt "))
    }

    @Test("no tool at the path: skipped, saying where it looked")
    func missing() {
        let outcome = PeerTool(path: dir.appendingPathComponent("nothing").path).run([("aedat4", "/f")], runs: 1)
        guard case .skipped(let why) = outcome else { Issue.record("ran a missing tool"); return }
        #expect(why.contains(dir.appendingPathComponent("nothing").path))
    }
}
