import Foundation
import Testing
import TestSupport
@testable import ottt

/// Walks every command's help (every `bench` subcommand's too): each flag a help names is one its parser accepts,
/// and each example parses; the cheap examples run end to end on small files made here, from a temporary
/// directory, so they hold from any directory. Examples that need hardware, a downloaded dataset, a trained model
/// or hours are listed in `notRun` with the reason.
@Suite("every help: flags that exist, examples that run")
struct HelpExamplesTests {
    /// One help page: the words before the options (`bench NAME`), the command that parses them, its text.
    struct Page: CustomStringConvertible {
        var words: [String]
        var command: any Command.Type
        var usage: String
        var description: String { "ottt " + words.joined(separator: " ") }
    }

    static var pages: [Page] {
        Commands.all.map { Page(words: [$0.name], command: $0, usage: $0.usage) }
            + BenchCommand.benchmarks.map { Page(words: ["bench", $0.name], command: BenchCommand.self, usage: $0.usage) }
    }

    /// The help's text without what is quoted in backticks (other commands' flags, shell lines).
    static func ownText(_ usage: String) -> String {
        usage.split(separator: "`", omittingEmptySubsequences: false).enumerated()
            .filter { $0.offset % 2 == 0 }.map { String($0.element) }.joined(separator: " ")
    }

    /// The flags a help names, outside backticks and example lines.
    static func flags(_ page: Page) -> [String] {
        let text = ownText(page.usage).split(separator: "\n")
            .filter { !$0.trimmingCharacters(in: .whitespaces).hasPrefix("ottt ") && !$0.contains("mpirun") }
            .joined(separator: "\n")
        let regex = try! NSRegularExpression(pattern: "(?<![\\w-])--[a-zA-Z][a-zA-Z0-9-]*")
        let found = regex.matches(in: text, range: NSRange(text.startIndex..., in: text)).compactMap {
            Range($0.range, in: text).map { String(text[$0]) }
        }
        return Array(Set(found)).filter { !$0.hasPrefix("--max-") && $0 != "--help" }.sorted()
    }

    /// The example lines of a help: `ottt WORDS…` lines outside backticks, as argument words (comments, redirects
    /// and annotations cut off).
    static func examples(_ usage: String) -> [[String]] {
        ownText(usage).split(separator: "\n").compactMap { line -> [String]? in
            var t = line.trimmingCharacters(in: .whitespaces)
            if t.hasPrefix("mpirun") { return nil }
            guard t.hasPrefix("ottt ") else { return nil }
            if t.contains(" FILE ") || t.contains(" IN OUT") || t.contains(" [") { return nil }   // a synopsis, not an example
            for cut in [" #", " >", " (", " \\", " &&"] { if let r = t.range(of: cut) { t = String(t[..<r.lowerBound]) } }
            return t.split(separator: " ").dropFirst().map(String.init)
        }
    }

    /// A value to give a flag when testing that it exists (a wrong value is a different error from an unknown flag).
    static let value = "1"

    @Test("each flag a help names is one the command accepts", arguments: pages)
    func flagsExist(page: Page) throws {
        // The flag is known when some example (or the bare command) with it added parses past it.
        // Synopsis lines count too, up to their first optional part (`ottt bench train --one [--preset P]`).
        let synopses = page.usage.split(separator: "\n").compactMap { line -> [String]? in
            guard let r = line.range(of: "ottt ") else { return nil }
            return Array(line[r.upperBound...].split(separator: " ").map(String.init).prefix { !$0.hasPrefix("[") })
        }
        let bases = [page.words] + (Self.examples(page.usage) + synopses).filter { Array($0.prefix(page.words.count)) == page.words }
        for flag in Self.flags(page) {
            var refused = true
            for base in bases {
                for words in [base + [flag, Self.value], base + [flag]] {
                    do { _ = try page.command.init(arguments: Arguments(Array(words.dropFirst()))); refused = false }
                    catch let e as UsageError { if !e.description.contains("unknown option \(flag)") { refused = false } }
                    catch { refused = false }
                }
            }
            #expect(!refused, "\(page): \(flag) is named in its help but refused")
        }
    }

    @Test("each help example parses", arguments: pages)
    func examplesParse(page: Page) throws {
        for example in Self.examples(page.usage) where Array(example.prefix(page.words.count)) == page.words {
            guard let command = Commands.named(example[0]) else { Issue.record("\(example)"); continue }
            if HelpExamplesTests.parseNeedsFiles.contains(where: { example.starts(with: $0) }) { continue }
            do { _ = try command.init(arguments: Arguments(Array(example.dropFirst()))) } catch let e as UsageError {
                Issue.record("\(page): `ottt \(example.joined(separator: " "))` → \(e)")
            } catch {}
        }
    }

    /// Examples whose parsing reads a file (a checkpoint read in `init`), run below or listed in `notRun`.
    static let parseNeedsFiles: [[String]] = [["train", "--resume"]]

    /// Examples not run end to end here, and why (each still parses above).
    static let notRun: [String: String] = [
        "live": "needs a camera (the live path runs on emulated cameras in LiveCommandTests)",
        "devices": "lists USB cameras (DevicesCommandTests runs it on emulated ones)",
        "train --dataset cifar10dvs": "needs the downloaded CIFAR10-DVS and hours",
        "train --dataset dvsgesture": "needs the downloaded DVS128 Gesture and hours",
        "train --resume": "needs a run of hours (TrainCommandTests resumes a small one)",
        "eval": "needs a trained checkpoint of a downloaded dataset",
        "dataset ~/data": "needs the downloaded CIFAR10-DVS",
        "bench": "benchmarks take minutes to hours (BenchCommandTests runs each with small options)",
        "demo": "learns for a minute or more (DemoCommandTests runs a short one)",
        "export runs": "needs a trained model (NIRCommandTests exports one)",
        "import": "needs a NIR file (NIRCommandTests imports one)",
        "reference": "needs ../shared/reference (ReferenceCheckTests)",
        "synth --images": "needs a folder of pictures (SynthCommandTests makes one)",
        "replay user01": "needs DVS128 Gesture's recordings",
    ]

    @Test("the cheap examples run, on files the examples themselves make, from a temporary directory")
    func examplesRun() throws {
        let dir = try SharedMaterial.temporaryDirectory().path
        defer { try? FileManager.default.removeItem(atPath: dir) }
        // Paths in examples are relative (data/…) or under /tmp: both are moved into the test's directory.
        func local(_ w: String) -> String {
            w.hasPrefix("data/") ? dir + "/" + w : w.hasPrefix("/tmp/") ? dir + "/" + w.dropFirst(5) : w.hasSuffix(".safetensors") || w.hasSuffix(".svg") ? dir + "/" + w : w
        }
        // The files the examples start from, made the way their help says.
        try Self.run(["synth", "--task", "digits", "--samples", "20", "--stream", "--gap", "50ms", "--out", dir + "/data/stream",
                      "--duration", "100ms"])
        try Self.run(["synth", "--task", "digits", "--samples", "20", "--out", dir + "/data/digits", "--duration", "100ms"])
        var ran = 0
        for page in Self.pages where page.words[0] != "bench" {
            for example in Self.examples(page.usage) where example.first == page.words[0] {
                let line = example.joined(separator: " ")
                if Self.notRun.keys.contains(where: { line.hasPrefix($0) }) { continue }
                var words = example.map(local)
                // Long-running knobs made short: fewer samples, faster replays.
                if words[0] == "synth" { words = Self.shortened(words, dir: dir) }
                if words[0] == "replay" && !words.contains("--speed") { words += ["--speed", "max"] }
                do { try Self.run(words, printing: false) } catch {
                    Issue.record("`ottt \(line)` failed: \(error)")
                }
                ran += 1
            }
        }
        #expect(ran >= 10, "examples run: \(ran)")
    }

    /// A synth example with its samples capped (the output is the same kind of files).
    static func shortened(_ words: [String], dir: String) -> [String] {
        var w = words
        if let i = w.firstIndex(of: "--samples"), i + 1 < w.count { w[i + 1] = "3" } else { w += ["--samples", "3"] }
        if let i = w.firstIndex(of: "--out"), i + 1 < w.count { w[i + 1] = dir + "/synth-\(w.count)-\(w[i + 1].split(separator: "/").last ?? "")" }
        return w + ["--duration", "100ms"]
    }

    static func run(_ words: [String], printing: Bool = true) throws {
        guard let command = Commands.named(words[0]) else { throw UsageError("no command \(words[0])") }
        try command.init(arguments: Arguments(Array(words.dropFirst()))).run()
    }
}
