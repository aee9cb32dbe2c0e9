import Foundation
import Testing
import TestSupport
@testable import ottt

/// The README's examples as a reader types them: every `ottt …` line of its command blocks and of its commands
/// table parses, and the cheap ones run in README order as the `ottt` executable, from an empty temporary
/// directory, after the two lines the README says its examples start from (and copies of their output under the
/// placeholder names the prose uses). Examples that need hardware, a downloaded dataset, a trained model or
/// minutes are listed in `notRun` with the reason.
@Suite("README: every example parses, the cheap ones run from any directory")
struct ReadmeExamplesTests {
    /// One example: the README line it starts on and its words after `ottt`.
    struct Example: CustomStringConvertible {
        var line: Int
        var words: [String]
        /// The whole shell line when it is more than one command (a pipe, a redirect): it runs as written.
        var pipeline: String? = nil
        var description: String { "README.md:\(line): ottt " + words.joined(separator: " ") }
    }

    static let readme = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent().appendingPathComponent("README.md")

    /// The examples of a README text, in order: indented command lines (continued by a trailing `\`, cut at
    /// ` #` comments, split at `&&` and pipes) and the last column of table rows, where it quotes `ottt …`.
    static func examples(_ text: String) -> [Example] {
        let lines = text.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
        var found: [Example] = []
        var fenced = false
        var i = 0
        while i < lines.count {
            let start = i
            var line = lines[i]
            i += 1
            if line.hasPrefix("```") { fenced.toggle(); continue }
            if fenced { continue }   // Swift and Python listings are compiled and run by their own tests
            if line.hasPrefix("|") {
                let cells = line.replacingOccurrences(of: "\\|", with: "\u{1}").split(separator: "|")
                    .map { $0.replacingOccurrences(of: "\u{1}", with: "|").trimmingCharacters(in: .whitespaces) }
                if let last = cells.last, last.hasPrefix("`ottt "), last.hasSuffix("`") {
                    found += commands(in: String(last.dropFirst().dropLast()), line: start + 1)
                }
                continue
            }
            guard line.hasPrefix("    ") else { continue }
            while line.hasSuffix("\\"), i < lines.count {
                line = String(line.dropLast()) + " " + lines[i].trimmingCharacters(in: .whitespaces)
                i += 1
            }
            found += commands(in: line, line: start + 1)
        }
        return found
    }

    /// The `ottt` commands of one shell line, each as words after `ottt`.
    static func commands(in shell: String, line: Int) -> [Example] {
        var text = shell
        if let r = text.range(of: " #") { text = String(text[..<r.lowerBound]) }
        let isPipeline = [" | ", " < ", " > "].contains { text.contains($0) } && !text.contains("&&")
        return text.components(separatedBy: "&&").flatMap { $0.components(separatedBy: "|") }.compactMap { part in
            let words = part.split(separator: " ").map(String.init).prefix { $0 != "<" && $0 != ">" }
            guard words.first == "ottt", words.count > 1 else { return nil }
            return Example(line: line, words: Array(words.dropFirst()),
                           pipeline: isPipeline ? text.trimmingCharacters(in: .whitespaces) : nil)
        }
    }

    /// Words that stand for something the reader fills in: such an example is a pattern, not a command.
    static func isPattern(_ e: Example) -> Bool {
        e.words.contains { w in
            ["DIR", "FILE", "MODEL", "N", "CMD", "IN", "OUT"].contains(w) || w.contains("…") || w.hasPrefix("[")
        }
    }

    /// Examples not run here, by their first words, and why (each still parses).
    static let notRun: [(prefix: String, why: String)] = [
        ("live --simulate --model ottt-demo", "needs the demo's model (DemoCommandTests)"),
        ("live --simulate --teach", "reads keys from a terminal (LiveCommandTests drives --teach with scripted keys)"),
        ("live --simulate motion --teach", "reads keys from a terminal (LiveCommandTests drives --teach with scripted keys)"),
        ("devices", "lists USB cameras (DevicesCommandTests runs it on emulated ones)"),
        ("demo", "learns for a minute or more (DemoCommandTests runs a short one)"),
        ("bench", "benchmarks take minutes (BenchCommandTests runs each with small options)"),
        ("train", "trains for minutes to hours (TrainCommandTests runs small ones)"),
        ("eval", "needs a trained checkpoint of a dataset"),
        ("reference", "needs ../shared/reference (ReferenceCheckTests)"),
        ("export", "needs a trained model (NIRCommandTests exports one)"),
        ("import", "needs a NIR file (NIRCommandTests imports one)"),
        ("dataset ~", "needs a downloaded dataset"),
        ("replay ottt-demo", "needs the demo's model (DemoCommandTests)"),
        ("replay user01", "needs DVS128 Gesture's recordings"),
        ("replay today", "replays a `live` recording"),
        ("replay session.aedat4 --speed max --web", "serves on a fixed port (WebViewTests serve on a free one)"),
        ("synth --images", "needs a folder of pictures (SynthCommandTests makes one)"),
    ]

    static func reason(_ e: Example) -> String? {
        let line = e.words.joined(separator: " ")
        if e.words[0] == "live" && !e.words.contains("--simulate") {
            return "needs a camera (LiveCommandTests runs the live path on emulated cameras)"
        }
        return notRun.first { line.hasPrefix($0.prefix) }?.why
    }

    @Test("the README has examples and each one parses")
    func examplesParse() throws {
        let all = Self.examples(try String(contentsOf: Self.readme, encoding: .utf8))
        #expect(all.count >= 40, "examples found: \(all.count)")
        for example in all where !Self.isPattern(example) {
            guard let command = Commands.named(example.words[0]) else {
                Issue.record("\(example): no such command"); continue
            }
            if example.words.starts(with: ["train", "--resume"]) { continue }   // reads the checkpoint while parsing
            do { _ = try command.init(arguments: Arguments(Array(example.words.dropFirst()))) } catch let e as UsageError {
                Issue.record("\(example) → \(e)")
            } catch {}
        }
    }

    @Test("the cheap README examples run as written, as the executable, from an empty directory")
    func examplesRun() throws {
        guard otttExecutable != nil else {
            Issue.record("the ottt executable was not found beside the tests"); return
        }
        let dir = try SharedMaterial.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        let all = Self.examples(try String(contentsOf: Self.readme, encoding: .utf8)).filter { !Self.isPattern($0) }
        // The README's starting files, then its placeholders as copies of them.
        let setup = ["data/stream", "data/digits"].compactMap { out in
            all.first { $0.words.first == "synth" && $0.words.contains(out) }
        }
        #expect(setup.count == 2, "the README names the lines its examples start from")
        for e in setup { try Self.run((["ottt"] + e.words).joined(separator: " "), e, in: dir) }
        let fm = FileManager.default
        for (copy, original) in [("rec.aedat4", "data/stream/stream.aedat4"), ("long.aedat4", "data/stream/stream.aedat4"),
                                 ("session.aedat4", "data/stream/stream.aedat4"),
                                 ("labels.csv", "data/stream/stream_labels.csv")] {
            try fm.copyItem(at: dir.appendingPathComponent(original), to: dir.appendingPathComponent(copy))
        }
        var ran = 0, pipelines: Set<Int> = []
        for example in all where Self.reason(example) == nil && !setup.contains(where: { $0.line == example.line }) {
            if let line = example.pipeline {
                if pipelines.insert(example.line).inserted { try Self.run(line, example, in: dir) }
                ran += 1
                continue
            }
            var words = example.words
            if words[0] == "replay" && !words.contains("--speed") { words += ["--speed", "max"] }   // same output, faster
            if words[0] == "live" && !words.contains("--stop-after") { words += ["--stop-after", "2s"] }   // it runs until stopped
            if words[0] == "synth", let k = words.firstIndex(of: "--samples"), k + 1 < words.count,
               let n = Int(words[k + 1]), n > 100 { words[k + 1] = "100" }   // the same kind of files, fewer
            if words[0] == "synth", let k = words.firstIndex(of: "--out"), k + 1 < words.count {
                // synth refuses to write over a dataset: a reader running the README twice removes the first one.
                try? fm.removeItem(at: dir.appendingPathComponent(words[k + 1]))
            }
            try Self.run((["ottt"] + words).joined(separator: " "), example, in: dir)
            ran += 1
        }
        #expect(ran >= 15, "examples run: \(ran)")
    }

    /// Runs one shell line in bash in `dir`, `ottt` standing for the executable and `/tmp/` for `dir/tmp/`; a
    /// nonzero exit (of any command of a pipe) is a test issue naming the README line.
    static func run(_ line: String, _ example: Example, in dir: URL) throws {
        try FileManager.default.createDirectory(at: dir.appendingPathComponent("tmp"), withIntermediateDirectories: true)
        let p = Process()
        p.executableURL = URL(fileURLWithPath: "/bin/bash")
        let shell = line.replacingOccurrences(of: " /tmp/", with: " \(dir.path)/tmp/")
        p.arguments = ["-c", "set -o pipefail; ottt() { '\(otttExecutable ?? "ottt")' \"$@\"; }; \(shell)"]
        p.currentDirectoryURL = dir
        let err = Pipe()
        p.standardError = err
        p.standardOutput = FileHandle.nullDevice
        p.standardInput = FileHandle.nullDevice
        try p.run()
        let data = err.fileHandleForReading.readDataToEndOfFile()
        p.waitUntilExit()
        if p.terminationStatus != 0 {
            let last = String(decoding: data, as: UTF8.self).split(separator: "\n").suffix(3).joined(separator: " / ")
            Issue.record("README.md:\(example.line): `\(line)` exited \(p.terminationStatus): \(last)")
        }
    }
}
