import Foundation

/// Runs the cases of the train suite one child process each (`ottt bench train --one … --json`) and reads back
/// their figures.
public struct TrainSuiteRunner: Sendable {
    /// The program run as the child (this program, as a rule).
    public var executable: String
    /// Children run with OPENBLAS_CORETYPE and OPENBLAS_L2_SIZE removed (OpenBLAS picks its own kernel).
    public var nativeBLAS = false
    /// Timing per case after one warm-up batch.
    public var seconds = 2.0

    public init(executable: String = TrainSuiteRunner.thisProgram) {
        self.executable = executable
    }

    /// This program, to run again as a child.
    public static var thisProgram: String {
        (try? FileManager.default.destinationOfSymbolicLink(atPath: "/proc/self/exe")) ?? CommandLine.arguments[0]
    }

    public func measure(_ run: TrainCase) throws -> TrainMeasurement.Result {
        try child(run.arguments(seconds: seconds), what: run.description, as: TrainMeasurement.Result.self)
    }

    /// The matrix-product ceiling in the children's environment: `ottt bench gemm --square` (a 1024³ product
    /// through the engine's path, best of 3 runs), in GFLOP/s.
    public func measureCeiling() throws -> Double {
        try child(["bench", "gemm", "--square", "--runs", "3", "--json"], what: "the 1024³ product",
                  as: GemmBenchmark.Product.self).gflops
    }

    /// Runs the child with `arguments` in the children's environment and decodes its last stdout line.
    private func child<T: Decodable>(_ arguments: [String], what: String, as type: T.Type) throws -> T {
        let p = Process()
        p.executableURL = URL(fileURLWithPath: executable)
        p.arguments = arguments
        var environment = ProcessInfo.processInfo.environment
        if nativeBLAS {
            environment["OPENBLAS_CORETYPE"] = nil
            environment["OPENBLAS_L2_SIZE"] = nil
        }
        p.environment = environment
        let out = Pipe(), err = Pipe()
        p.standardOutput = out
        p.standardError = err
        do { try p.run() } catch { throw BenchmarkFailure("bench train: cannot start \(executable): \(error)") }
        let stderrData = ReadAll(err.fileHandleForReading)
        let data = out.fileHandleForReading.readDataToEndOfFile()
        p.waitUntilExit()
        let line = String(decoding: data, as: UTF8.self).split(separator: "\n").last.map(String.init) ?? ""
        let why = { String(decoding: stderrData.wait(), as: UTF8.self).split(separator: "\n").last.map(String.init) }
        guard p.terminationStatus == 0 else {
            throw BenchmarkFailure("bench train: \(what) failed: \(why() ?? "exit \(p.terminationStatus)")")
        }
        do { return try JSONDecoder().decode(T.self, from: Data(line.utf8)) } catch {
            throw BenchmarkFailure("bench train: \(what) reported no figures I can read: \(line) (\(error))")
        }
    }
}

/// Reads a pipe to its end on another thread (so that a child filling stderr never blocks on a full pipe).
private final class ReadAll: @unchecked Sendable {
    private var data = Data()
    private let done = DispatchSemaphore(value: 0)

    init(_ handle: FileHandle) {
        DispatchQueue.global().async {
            self.data = handle.readDataToEndOfFile()
            self.done.signal()
        }
    }

    func wait() -> Data {
        done.wait()
        return data
    }
}
