import Foundation
import Testing

/// Runs a program built beside the test bundle (the rank program `mpi-ranks`, or `ottt`) under Open MPI's `mpirun`.
public enum MPIRun {
    /// `mpirun` on PATH, or nil (the MPI tests are skipped then).
    public static let launcher: String? = {
        for dir in (ProcessInfo.processInfo.environment["PATH"] ?? "").split(separator: ":") {
            let path = "\(dir)/mpirun"
            if FileManager.default.isExecutableFile(atPath: path) { return path }
        }
        return nil
    }()

    /// The executable `name` beside the test bundle, or nil when it was not built.
    public static func program(_ name: String) -> String? {
        let dir = URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent()
        for candidate in [dir, dir.deletingLastPathComponent()] {
            let path = candidate.appendingPathComponent(name).path
            if FileManager.default.isExecutableFile(atPath: path) { return path }
        }
        return nil
    }

    /// The rank program beside the test bundle, or nil when it was not built.
    public static let rankProgram: String? = program("mpi-ranks")

    public static var available: Bool { launcher != nil && rankProgram != nil }
    public static let skipReason: Comment = "needs mpirun on PATH (tools/setup installs openmpi-bin) and the mpi-ranks program"

    public struct Outcome {
        public var status: Int32
        public var output: String
        public var seconds: Double

        public init(status: Int32, output: String, seconds: Double) {
            self.status = status; self.output = output; self.seconds = seconds
        }

        /// The `ok` lines of `scenario`, by rank.
        public func okLines(_ scenario: String) -> [Int: String] {
            var lines: [Int: String] = [:]
            for line in output.split(separator: "\n") where line.contains(" \(scenario) ok") {
                let words = line.split(separator: " ")
                guard words.count > 1, words[0] == "rank", let r = Int(words[1].split(separator: "/")[0]) else { continue }
                lines[r] = String(line)
            }
            return lines
        }

        /// The value of `key=` on `line`.
        public static func value(_ key: String, in line: String) -> String? {
            line.split(separator: " ").first { $0.hasPrefix("\(key)=") }.map { String($0.dropFirst(key.count + 1)) }
        }
    }

    /// `mpirun -np ranks mpi-ranks arguments…` as root if need be, oversubscribed, without the single-copy
    /// shared-memory path (refused in containers without ptrace rights); stdout and stderr together. Stops the
    /// job after `timeout` seconds.
    public static func run(ranks: Int, _ arguments: [String], timeout: Double = 60) throws -> Outcome {
        guard let rankProgram else { throw MissingLauncher() }
        return try launch(["-np", "\(ranks)", rankProgram] + arguments, timeout: timeout)
    }

    /// `mpirun` with `arguments` (after the options above): `-np N program …`, or several `-np N program …` parts
    /// joined by `:` (ranks started with different arguments). `directory` is the ranks' working directory.
    public static func launch(_ arguments: [String], directory: URL? = nil, timeout: Double = 60) throws -> Outcome {
        guard let launcher else { throw MissingLauncher() }
        let p = Process()
        let pipe = prepare(p, launcher, ["--allow-run-as-root", "--oversubscribe"] + arguments, directory: directory)
        let start = Date()
        try p.run()
        let watchdog = DispatchWorkItem { if p.isRunning { p.terminate() } }
        DispatchQueue.global().asyncAfter(deadline: .now() + timeout, execute: watchdog)
        let data = pipe.fileHandleForReading.readDataToEndOfFile()
        p.waitUntilExit()
        watchdog.cancel()
        return Outcome(status: p.terminationStatus, output: String(decoding: data, as: UTF8.self),
                       seconds: Date().timeIntervalSince(start))
    }

    /// Sets `p` up to run `executable arguments…` in `directory` without the single-copy shared-memory path,
    /// stdin empty; returns the pipe that gets stdout and stderr together.
    public static func prepare(_ p: Process, _ executable: String, _ arguments: [String], directory: URL?) -> Pipe {
        p.executableURL = URL(fileURLWithPath: executable)
        p.arguments = arguments
        if let directory { p.currentDirectoryURL = directory }
        var environment = ProcessInfo.processInfo.environment
        environment["OMPI_MCA_btl_vader_single_copy_mechanism"] = "none"
        p.environment = environment
        let pipe = Pipe()
        p.standardOutput = pipe
        p.standardError = pipe
        p.standardInput = FileHandle.nullDevice
        return pipe
    }

    public struct MissingLauncher: Error {}
}
