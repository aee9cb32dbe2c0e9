import Foundation
import Datasets
import Training

/// `--dataset`, `--data` and `--cache`, shared by `ottt train` and `ottt eval`.
extension DataLocation {
    static let usage = """
      --dataset D       cifar10dvs | gesture | nmnist | folder | synthetic (default: guessed from the layout
                        of --data, as 'ottt dataset' does)
      --data DIR        the dataset's folder (folder: a subfolder per class of event files, as 'ottt synth'
                        writes; DIR/train and DIR/test when split, else the last 10 % of each class is test)
      --cache DIR       where frame caches are kept (default $XDG_CACHE_HOME/ottt or ~/.cache/ottt); a cache is
                        built once per dataset part, T, size and frame mode, and rebuilt when any of them changes
    """

    /// Reads `--dataset`, `--data` and `--cache`; `fallback` is the dataset when `--dataset` is absent.
    static func parse(_ a: inout Arguments, fallback: SampleSource?) throws -> DataLocation {
        let name = try a.option("dataset"), directory = try a.option("data")
        let known = "cifar10dvs, gesture, nmnist, folder, synthetic"
        let detected = directory.map { SampleSource.events(DatasetKind.detect(root: $0)) }
        guard let source = name.map({ SampleSource(name: $0) }) ?? fallback ?? detected else {
            if let name { throw UsageError("--dataset: no dataset '\(name)' (\(known))") }
            throw UsageError("--dataset (\(known)) or --data DIR is required")
        }
        if source != .synthetic && directory == nil { throw UsageError("--dataset \(source.name) needs --data DIR") }
        if source == .synthetic && directory != nil { throw UsageError("--dataset synthetic takes no --data") }
        if let directory, let problem = folderProblem(directory) { throw CommandFailure("--data \(directory) \(problem)") }
        let env = ProcessInfo.processInfo.environment
        let defaultCache = env["XDG_CACHE_HOME"].map { "\($0)/ottt" } ?? "\(env["HOME"] ?? NSTemporaryDirectory())/.cache/ottt"
        return DataLocation(source: source, directory: directory, cacheDirectory: try a.option("cache") ?? defaultCache)
    }

    /// Why `path` is not a folder to read a dataset from (nil when it is one).
    private static func folderProblem(_ path: String) -> String? {
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory) else { return "does not exist" }
        return isDirectory.boolValue ? nil : "is a file, not the dataset's folder"
    }

    /// The samples of `part`, with a note on stderr when a frame cache is built and its progress line.
    func samples(_ part: DatasetPart, config: DataConfig, steps: Int, frameShape: [Int], augment: Bool) throws
        -> (samples: any SampleSet, normalization: [Float]?) {
        var line: ProgressLine?
        return try samples(part, config: config, steps: steps, frameShape: frameShape, augment: augment) { event in
            switch event {
            case let .building(dataset, recordings, path):
                printError("building the frame cache of \(dataset) (\(recordings) recordings) in \(path)")
            case let .recordings(done, total):
                if line == nil { line = ProgressLine("cache") }
                line?.update(fraction: Double(done) / Double(total), detail: "\(done)/\(total) recordings")
            case .finished:
                line?.finish()
            }
        }
    }
}
