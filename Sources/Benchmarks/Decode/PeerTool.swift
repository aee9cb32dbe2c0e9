import Foundation

/// tools/peer-decode, run as a child process: it times the peers (dv-processing, expelliarmus, numpy) on given
/// files and prints one JSON line per case. Exit 3 means skipped (no python, no venv, a peer would not install):
/// its last line on stderr says why.
public struct PeerTool: Sendable {
    public var path: String

    public init(path: String) { self.path = path }

    /// One case the tool timed (its JSON line), or skipped or failed on (then `note` says why).
    public struct Figure: Codable, Equatable, Sendable {
        public var peer: String?
        public var version: String?
        public var `case`: String
        public var file: String
        public var events: Int?
        public var runs: Int?
        public var bestThreadCPUSeconds: Double?
        public var processCPUSeconds: Double?
        public var wallSeconds: Double?
        public var skipped: String?
        public var failed: String?

        enum CodingKeys: String, CodingKey {
            case peer, version, `case`, file, events, runs, skipped, failed
            case bestThreadCPUSeconds = "best_thread_cpu_s", processCPUSeconds = "process_cpu_s", wallSeconds = "wall_s"
        }

        /// "dv-processing 2.0.4".
        public var name: String { [peer ?? "peer", version].compactMap { $0 }.joined(separator: " ") }
        /// Why there is no figure, or nil when there is one.
        public var note: String? {
            if let skipped { return "skipped: \(skipped)" }
            if let failed { return "failed: \(failed)" }
            guard bestThreadCPUSeconds != nil, events != nil else { return "no time in the tool's line" }
            return nil
        }
    }

    /// What one run of the tool gave: its figures, or the one line saying why it skipped altogether.
    public enum Outcome: Equatable, Sendable {
        case figures([Figure])
        case skipped(String)
    }

    /// Parses the tool's standard output: one JSON object per line; other lines are ignored.
    public static func parse(_ output: String) -> [Figure] {
        output.split(separator: "\n").compactMap { line in
            let text = line.trimmingCharacters(in: .whitespaces)
            guard text.hasPrefix("{") else { return nil }
            return try? JSONDecoder().decode(Figure.self, from: Data(text.utf8))
        }
    }

    /// Runs the tool on `cases` (peer case name, file), `runs` times each.
    public func run(_ cases: [(peerCase: String, file: String)], runs: Int) -> Outcome {
        guard FileManager.default.isExecutableFile(atPath: path) else {
            return .skipped("no executable peer tool at \(path) (run from the checkout, or give --peer-tool)")
        }
        let process = Process()
        process.executableURL = URL(fileURLWithPath: path)
        process.arguments = ["--runs", "\(runs)"] + cases.flatMap { [$0.peerCase, $0.file] }
        let out = Pipe()
        let errors = FileManager.default.temporaryDirectory.appendingPathComponent("peer-decode-\(UUID().uuidString).err")
        _ = FileManager.default.createFile(atPath: errors.path, contents: nil)
        defer { try? FileManager.default.removeItem(at: errors) }
        process.standardOutput = out
        process.standardError = try? FileHandle(forWritingTo: errors)
        do { try process.run() } catch { return .skipped("\(path) would not start: \(error.localizedDescription)") }
        let data = out.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        let figures = Self.parse(String(decoding: data, as: UTF8.self))
        let why = (try? String(contentsOf: errors, encoding: .utf8))?
            .split(separator: "\n").last.map(String.init) ?? ""
        let status = process.terminationStatus
        if figures.isEmpty {
            if status == 3 { return .skipped(why.isEmpty ? "\(path) skipped (exit 3)" : why) }
            return .skipped("\(path) exited \(status) without figures" + (why.isEmpty ? "" : ": \(why)"))
        }
        return .figures(figures)
    }

    /// The tool beside the running executable's checkout (…/tools/peer-decode in a folder above it), or in the
    /// current folder's tools/.
    public static func find(executable: String = CommandLine.arguments.first ?? "") -> String {
        var folder = URL(fileURLWithPath: executable).resolvingSymlinksInPath().deletingLastPathComponent()
        for _ in 0..<5 {
            let candidate = folder.appendingPathComponent("tools/peer-decode").path
            if FileManager.default.isExecutableFile(atPath: candidate) { return candidate }
            folder.deleteLastPathComponent()
        }
        return FileManager.default.currentDirectoryPath + "/tools/peer-decode"
    }
}
