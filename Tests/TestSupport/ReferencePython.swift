import Foundation
import Testing

/// The reference NIR package in a venv made by `tools/nir-venv`, for tests that check our NIR files with it.
///
/// Tests use `.enabled(if: ReferencePython.isAvailable, ReferencePython.skipReason)`: where the venv cannot be made
/// (no python3, offline) they skip with a visible message and the script's reason is printed once; CI makes it.
public enum ReferencePython {
    /// The venv's python, or nil (the reason is printed on stderr once).
    public static let path: String? = {
        let script = SharedMaterial.packageRoot.appendingPathComponent("tools/nir-venv").path
        let (status, out, err) = run(script, [])
        guard status == 0, let line = out.split(separator: "\n").last else {
            FileHandle.standardError.write(Data("reference NIR checks skipped: tools/nir-venv exited \(status): \(err)\n".utf8))
            return nil
        }
        return String(line)
    }()

    public static var isAvailable: Bool { path != nil }
    public static let skipReason: Comment = "tools/nir-venv could not make the reference venv (pip install nir): skipping the reference NIR checks"

    /// Runs `tools/nir_check.py ARGS` with the venv's python; returns its stdout, or throws with its stderr.
    public static func check(_ arguments: [String]) throws -> String {
        guard let path else { throw Failure(message: "no reference python") }
        let script = SharedMaterial.packageRoot.appendingPathComponent("tools/nir_check.py").path
        let (status, out, err) = run(path, [script] + arguments)
        guard status == 0 else { throw Failure(message: "nir_check.py \(arguments.joined(separator: " ")) exited \(status): \(err)") }
        return out
    }

    public struct Failure: Error, CustomStringConvertible {
        public let message: String
        public var description: String { message }
    }

    static func run(_ executable: String, _ arguments: [String]) -> (Int32, String, String) {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: executable)
        process.arguments = arguments
        // stderr goes to a file, stdout through a pipe read to its end (a full pipe would block the process).
        let errPath = FileManager.default.temporaryDirectory.appendingPathComponent("nir-\(UUID().uuidString).err")
        FileManager.default.createFile(atPath: errPath.path, contents: nil)
        defer { try? FileManager.default.removeItem(at: errPath) }
        let out = Pipe()
        process.standardOutput = out
        guard let err = try? FileHandle(forWritingTo: errPath) else { return (-1, "", "cannot write \(errPath.path)") }
        process.standardError = err
        do { try process.run() } catch { return (-1, "", "\(error)") }
        let outData = out.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        try? err.close()
        let errData = (try? Data(contentsOf: errPath)) ?? Data()
        return (process.terminationStatus, String(decoding: outData, as: UTF8.self), String(decoding: errData, as: UTF8.self))
    }
}
