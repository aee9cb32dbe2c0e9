import Foundation
import Testing
import TestSupport

/// Every command that reads a file, run as a subprocess (the built `ottt`) on the hostile corpus
/// (Tests/Fixtures/hostile, written by tools/make-hostile-corpus) under 1 GiB of address space and a time limit:
/// each must exit 0, 1 or 64 — never a signal, a trap or a timeout — with one clear line on stderr.
@Suite("Hostile corpus", .serialized)
struct HostileCorpusTests {
    /// One run: what it does (the defect it guards, by issue 13's number), the arguments (`H/` is the corpus,
    /// `O/` a scratch directory), the exit codes allowed, and text stderr must hold.
    struct Case: CustomStringConvertible, Sendable {
        var name: String
        var arguments: [String]
        var exits: Set<Int32> = [1]
        var says: String
        var description: String { name }
    }

    static let cases: [Case] = [
        Case(name: "info of an empty file says it is empty (#20)", arguments: ["info", "H/empty.aedat4"], says: "empty file"),
        Case(name: "info of a directory says so in one line (#20)", arguments: ["info", "H"], says: "is a directory"),
        Case(name: "info of a FIFO does not block (#15)", arguments: ["info", "O/fifo"], says: "FIFO"),
        Case(name: "frames refuses a 16384² sensor from a .dat header (#2)",
             arguments: ["frames", "H/dat-sensor-16384.dat", "--steps", "2", "--out", "O/f"], says: "--max-sensor"),
        Case(name: "info of a 16384² .dat header allocates nothing (#2)",
             arguments: ["info", "H/dat-sensor-16384.dat"], exits: [0], says: ""),
        Case(name: "frames --window 10us stays within the frame budget (#13)",
             arguments: ["frames", "H/window-frames.csv", "--window", "10us", "--out", "O/f"], says: "--max-frame-bytes"),
        Case(name: "frames --steps 10^12 is refused by the frame budget (#13)",
             arguments: ["frames", "H/window-frames.csv", "--steps", "1000000000000", "--out", "O/f"], says: "--max-frame-bytes"),
        Case(name: "frames --size 100000 is a usage error (#13)",
             arguments: ["frames", "H/window-frames.csv", "--steps", "2", "--size", "100000", "--out", "O/f"],
             exits: [64], says: "--size"),
        Case(name: "frames --zoom 64 on an HD sensor is refused by the frame budget (#13)",
             arguments: ["frames", "H/window-frames.csv", "--sensor", "1280x720", "--steps", "1", "--zoom", "64", "--out", "O/f"], says: "--zoom 64"),
        Case(name: "times near Int64.max in a CSV are refused, not wrapped (#1)",
             arguments: ["frames", "H/csv-near-int64-max.csv", "--window", "1us", "--out", "O/f"], says: "integer"),
        Case(name: "info of times spanning 2^63 µs (#1)", arguments: ["info", "H/csv-span-2e63.csv"], exits: [0, 1], says: ""),
        Case(name: "convert puts a swapped pair of times in order (#14)",
             arguments: ["convert", "H/csv-swapped-pair.csv", "O/swapped.aedat4"], exits: [0], says: "put back in order"),
        Case(name: "--format aedat2 is honoured over the header sniff (#17)",
             arguments: ["info", "--format", "aedat2", "H/headerless-v2.aedat"], exits: [0], says: ""),
        Case(name: "eval refuses a tensor shape of 2^64 elements (#3)",
             arguments: ["eval", "H/ckpt-shape-2e64.safetensors", "--dataset", "synthetic"], says: "fits in 64 bits"),
        Case(name: "eval refuses a spec with a 2^62-channel convolution (#4)",
             arguments: ["eval", "H/ckpt-spec-huge-0.safetensors", "--dataset", "synthetic"], says: "--max-tensor"),
        Case(name: "eval refuses a spec with an Int.max classifier (#4)",
             arguments: ["eval", "H/ckpt-spec-huge-1.safetensors", "--dataset", "synthetic"], says: "--max-tensor"),
        Case(name: "eval refuses a spec of 1024 maps at 4096² (#4)",
             arguments: ["eval", "H/ckpt-spec-huge-2.safetensors", "--dataset", "synthetic"], says: "--max-tensor"),
        Case(name: "eval refuses a state batch of 2^40 (#4)",
             arguments: ["eval", "H/ckpt-state-batch-2e40.safetensors", "--dataset", "synthetic"], says: "--max-tensor"),
        Case(name: "eval refuses NaN weights (#7)",
             arguments: ["eval", "H/ckpt-nan-weight.safetensors", "--dataset", "synthetic"], says: "finite"),
        Case(name: "eval refuses training metadata with steps 0 (#10)",
             arguments: ["eval", "H/ckpt-steps-zero.safetensors", "--dataset", "synthetic"], says: "must all be positive"),
        Case(name: "eval --json of a valid checkpoint prints JSON (#7)",
             arguments: ["eval", "H/ckpt-valid.safetensors", "--dataset", "synthetic", "--json"], exits: [0], says: ""),
        Case(name: "eval of a directory says so (#20)", arguments: ["eval", "H", "--dataset", "synthetic"], says: "is a directory"),
        Case(name: "eval of a device says what it is (#20)", arguments: ["eval", "/dev/zero"], says: "character device"),
        Case(name: "eval of a FIFO does not block (#15, #20)", arguments: ["eval", "O/fifo"], says: "FIFO"),
        Case(name: "train --resume refuses optimizer steps NaN (#8)",
             arguments: ["train", "--resume", "H/ckpt-adam-steps-nan.safetensors", "--epochs", "2"], says: "steps"),
        Case(name: "train --resume refuses optimizer steps Inf (#8)",
             arguments: ["train", "--resume", "H/ckpt-adam-steps-inf.safetensors", "--epochs", "2"], says: "steps"),
        Case(name: "train --resume refuses optimizer steps 1e30 (#8)",
             arguments: ["train", "--resume", "H/ckpt-adam-steps-1e30.safetensors", "--epochs", "2"], says: "steps"),
        Case(name: "train --resume refuses an empty optimizer steps tensor (#8)",
             arguments: ["train", "--resume", "H/ckpt-adam-steps-empty.safetensors", "--epochs", "2"], says: "steps"),
        Case(name: "train --resume refuses steps 0 (#10)",
             arguments: ["train", "--resume", "H/ckpt-steps-zero.safetensors"], says: "must all be positive"),
        Case(name: "train --steps 10^9 is a usage error (#13)",
             arguments: ["train", "--dataset", "synthetic", "--steps", "1000000000"], exits: [64], says: "--max-frame-bytes"),
        Case(name: "train --classes 10^9 is a usage error (#13)",
             arguments: ["train", "--dataset", "synthetic", "--classes", "1000000000"], exits: [64], says: "--classes"),
        Case(name: "train --samples 10^9 is a usage error (#13)",
             arguments: ["train", "--dataset", "synthetic", "--samples", "1000000000"], exits: [64], says: "--samples"),
        Case(name: "bench bin --events 10^12 is a usage error (#13)",
             arguments: ["bench", "bin", "--events", "1000000000000"], exits: [64], says: "--max-frame-bytes"),
        Case(name: "bench soak --stream 1e9h is a usage error (#13)",
             arguments: ["bench", "soak", "--stream", "1e9h"], exits: [64], says: "--stream"),
        Case(name: "reference with a bad spec ends cleanly (#4)",
             arguments: ["reference", "H/reference-spec-huge.safetensors"], says: "spec"),
        Case(name: "replay of times near Int64.max ends with one line (#1)",
             arguments: ["replay", "H/csv-near-int64-max.csv", "--speed", "max"], says: "integer"),
        Case(name: "replay of a 16384² .dat sensor is refused before allocating (#2)",
             arguments: ["replay", "H/dat-sensor-16384.dat", "--speed", "max"], says: "--max-frame-bytes"),
        Case(name: "a label of class -2^63 under a Gesture header is refused (#9)",
             arguments: ["replay", "H/window-frames.csv", "--label-file", "H/labels-class-min.txt"], says: "class"),
        Case(name: "intervals overlapping an earlier line than the previous are refused (#9)",
             arguments: ["replay", "H/window-frames.csv", "--label-file", "H/labels-overlap.txt"], says: "overlap"),
        Case(name: "a teaching line at 1e30 s is a line error; the 900 s gap is skipped (#6, #12)",
             arguments: ["replay", "H/window-frames.csv", "--teach-from", "H/teach-huge-time.txt"], exits: [0],
             says: "'1e30s'"),
        Case(name: "paced replay skips a 900 s gap instead of waiting it out (#12)",
             arguments: ["replay", "H/window-frames.csv", "--json"], exits: [0], says: "--max-gap"),
        Case(name: "--speed max steps no more empty bins than --max-gap allows (#18)",
             arguments: ["replay", "H/window-frames.csv", "--speed", "max", "--max-gap", "1s", "--json"], exits: [0],
             says: "empty bins not stepped"),
        Case(name: "--dt 1e20s is a usage error (#6)",
             arguments: ["replay", "H/window-frames.csv", "--dt", "1e20s"], exits: [64], says: "--dt"),
        Case(name: "--reset silence:1e20s is a usage error (#6)",
             arguments: ["replay", "H/window-frames.csv", "--reset", "silence:1e20s"], exits: [64], says: "--reset"),
        Case(name: "--stop-after 1e20s is a usage error (#6)",
             arguments: ["replay", "H/window-frames.csv", "--stop-after", "1e20s"], exits: [64], says: "--stop-after"),
        Case(name: "--speed 1e-300 is a usage error (#6)",
             arguments: ["replay", "H/window-frames.csv", "--speed", "1e-300"], exits: [64], says: "--speed"),
        Case(name: "--teach-from a directory says so (#16)",
             arguments: ["replay", "H/window-frames.csv", "--teach-from", "H"], says: "is a directory"),
        Case(name: "--teach-from /dev/zero says what it is, not hangs (#16)",
             arguments: ["replay", "H/window-frames.csv", "--teach-from", "/dev/zero"], says: "character device"),
        Case(name: "--teach-from a FIFO does not block (#16)",
             arguments: ["replay", "H/window-frames.csv", "--teach-from", "O/fifo"], says: "FIFO"),
        Case(name: "a directory as label file says so (#20)",
             arguments: ["replay", "H/window-frames.csv", "--label-file", "H"], says: "is a directory"),
        Case(name: "info widens a guessed EVT 2.0 size to the events seen and says so",
             arguments: ["info", "H/evt2-hd-under-gen3.raw"], exits: [0], says: ""),
        Case(name: "convert keeps every HD event under a Gen3 plugin name",
             arguments: ["convert", "H/evt2-hd-under-gen3.raw", "O/hd.csv"], exits: [0], says: ""),
        Case(name: "info keeps AEDAT 2.0 records after a backwards step, counted",
             arguments: ["info", "H/aedat2-backwards.aedat"], exits: [0], says: ""),
        Case(name: "a file as --data says so (#20)",
             arguments: ["train", "--dataset", "nmnist", "--data", "H/empty.aedat4"], says: "is a file"),
        Case(name: "a missing --data says so (#20)",
             arguments: ["train", "--dataset", "nmnist", "--data", "O/none"], says: "does not exist"),
        Case(name: "a directory as class names says so (#20)",
             arguments: ["replay", "H/window-frames.csv", "--labels", "H"], says: "is a directory"),
    ]

    @Test("no command traps, hangs or exceeds 1 GiB on the corpus", arguments: cases)
    func run(_ c: Case) throws { try check(c) }

    func check(_ c: Case) throws {
        let ottt = try #require(otttExecutable, "the ottt executable is built beside the tests")
        let corpus = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
            .appendingPathComponent("../Fixtures/hostile").standardized.path
        let scratch = try SharedMaterial.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: scratch) }
        _ = mkfifo("\(scratch.path)/fifo", 0o600)
        let arguments = c.arguments.map { a in
            a == "H" ? corpus : a.hasPrefix("H/") ? corpus + a.dropFirst(1)
                : a.hasPrefix("O/") ? scratch.path + a.dropFirst(1) : a
        }
        let quoted = ([ottt] + arguments).map { "'\($0)'" }.joined(separator: " ")
        // 1 GiB of address space and 120 s: a trap is a signal (status > 128 from the shell), a hang is timeout's 124.
        let p = Process()
        p.executableURL = URL(fileURLWithPath: "/bin/sh")
        p.arguments = ["-c", "ulimit -v 1048576; exec timeout -s KILL 120 \(quoted) >/dev/null"]
        p.currentDirectoryURL = scratch
        let err = Pipe()
        p.standardError = err
        try p.run()
        let data = err.fileHandleForReading.readDataToEndOfFile()
        p.waitUntilExit()
        let stderr = String(decoding: data, as: UTF8.self)
        #expect(p.terminationReason == .exit && c.exits.contains(p.terminationStatus),
                "exit \(p.terminationStatus) (\(p.terminationReason == .exit ? "exit" : "signal")): \(stderr)")
        if p.terminationStatus != 0 {
            let first = stderr.split(separator: "\n").first.map(String.init) ?? ""
            #expect(first.hasPrefix("ottt "), "first stderr line: \(first)")
            #expect(!stderr.contains("NSCocoaErrorDomain") && !stderr.contains("Fatal error"), "\(stderr)")
        }
        if !c.says.isEmpty { #expect(stderr.contains(c.says), "stderr: \(stderr)") }
    }
}
