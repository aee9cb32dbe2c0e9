import Foundation
import DVSEvents
import EventBinning
import Datasets

/// `ottt dataset ROOT`: what a dataset folder holds, and (with --cache) its frame cache built or checked.
struct DatasetCommand: Command {
    static let name = "dataset"
    static let abstract = "List a dataset (CIFAR10-DVS, DVS128 Gesture, N-MNIST, class folders) and build its frame cache."
    static let usage = """
    usage: ottt dataset ROOT [--kind \(DatasetKind.allCases.map(\.rawValue).joined(separator: "|"))] [--part train|test]
                        [--cache-file FILE [--resize paper|clean] [--steps T] [--size S] [--threads N]]

    Prints the part's samples per class and sensor size. The kind is guessed from the layout unless given.
    CIFAR10-DVS uses the OTTT split (first 90 % of each class train).
    --cache-file FILE  build the frame cache FILE (or reuse it when it was made the same way): T frames by event
                   count resized to S×S, `paper` (default; the official pipeline, stored exactly as bytes) or
                   `clean` (area-averaged counts, Float32). Defaults: --steps 10, --size 48, --threads 2,
                   --part train, --resize paper.
    Old names, for this release: --cache (--cache-file; --cache names a folder on train and eval), --frames
    (--steps), --recipe (--resize).

    Examples (data/digits from `ottt synth --task digits --samples 100 --out data/digits`):
      ottt dataset data/digits --part test
      ottt dataset data/digits --cache-file /tmp/digits-train.frames --resize clean --size 32
      ottt dataset ~/data/CIFAR10DVS --part train --cache-file ~/data/cifar10dvs-train.frames
    """

    let root: String
    let kind: DatasetKind?
    let part: DatasetPart
    let cache: String?
    let recipe: FrameRecipe
    let threads: Int

    init(arguments: Arguments) throws {
        var a = arguments
        a.rename("cache", to: "cache-file")
        a.rename("frames", to: "steps")
        a.rename("recipe", to: "resize")
        kind = try a.option("kind").map { s in
            guard let k = DatasetKind(rawValue: s) else { throw UsageError("--kind: no dataset kind '\(s)'") }
            return k
        }
        part = try a.option("part", default: .train) { DatasetPart(rawValue: $0) }
        cache = try a.option("cache-file")
        let positive: (String) -> Int? = { Int($0).flatMap { $0 > 0 ? $0 : nil } }
        let frames = try a.option("steps", default: 10, positive)
        let size = try a.option("size", default: 48, positive)
        threads = try a.option("threads", default: 2) { Int($0).flatMap { (1...64).contains($0) ? $0 : nil } }
        let mode = try a.option("resize", default: ResizeMode.paper) { ResizeMode(rawValue: $0) }
        recipe = mode == .paper ? .paper(frames: frames, size: size) : .clean(frames: frames, size: size)
        root = try a.positional("a dataset ROOT folder")
        try a.finish()
    }

    func run() throws {
        let kind = kind ?? DatasetKind.detect(root: root)
        let dataset = try kind.dataset(root: root, part: part)
        let perClass = zip(dataset.classes, dataset.countsPerClass).map { "\($0) \($1)" }.joined(separator: ", ")
        print("\(dataset.name) at \(root) (\(kind.rawValue)): \(dataset.samples.count) samples, "
              + "\(dataset.classes.count) classes (\(perClass)), sensor \(dataset.sensor)")
        guard let cache else { return }
        let total = dataset.samples.count
        let interactive = isatty(STDERR_FILENO) != 0
        let start = DispatchTime.now().uptimeNanoseconds
        var built = 0
        let frames = try dataset.frameCache(at: cache, recipe: recipe, threads: threads) { done in
            built = done
            guard interactive, done % 10 == 0 || done == total else { return }
            let seconds = Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9
            let rate = Double(done) / max(seconds, 1e-9)
            let line = String(format: "\rcache %d/%d  %.1f samples/s  ETA %.0f s   ", done, total, rate,
                              Double(total - done) / max(rate, 1e-9))
            FileHandle.standardError.write(Data(line.utf8))
        }
        if interactive && built > 0 { FileHandle.standardError.write(Data("\r\u{1B}[K".utf8)) }
        let seconds = Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9
        let megabytes = Double((try? FileManager.default.attributesOfItem(atPath: (cache as NSString).resolvingSymlinksInPath)[.size] as? Int) ?? 0) / 1e6
        let how = built > 0 ? String(format: "built in %.1f s (%.1f samples/s)", seconds, Double(built) / seconds)
                            : "up to date"
        print(String(format: "cache %@: %d samples of %d×2×%d×%d, %@ (%.1f MB), %@", cache, frames.count,
                     frames.frameCount, frames.height, frames.width, "\(frames.storage)", megabytes, how))
    }
}
