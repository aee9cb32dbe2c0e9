import DVSEvents
import Pictures

/// A labelled family of scenes: the classes, which class each sample shows, and how a sample's scene is drawn.
///
/// Built in: `digits` (N-MNIST-like) and `motion` (direction of motion, 8 directions and 2 rotations); `pictures`
/// makes N-MNIST-style recordings of a user's images.
public struct SyntheticTask: Sendable {
    /// The task's name (`--task`).
    public let name: String
    /// Class names in label order; they also name the dataset's class folders.
    public let classNames: [String]
    /// The sensor size a task is meant for when the user gives none.
    public let defaultSize: SensorSize
    /// For `pictures`: the label of each picture; sample i shows picture i mod count. Nil for generated tasks,
    /// whose labels come in shuffled blocks holding each class once.
    let fixedLabels: [Int]?
    /// Draws the scene of sample `index` showing class `label`.
    let makeScene: @Sendable (_ index: Int, _ label: Int, _ size: SensorSize, _ duration: Microseconds,
                              _ random: inout SimulatorRandom) -> any Scene

    public var classCount: Int { classNames.count }

    /// The built-in tasks, by name.
    public static let builtIn: [SyntheticTask] = [.digits, .motion]

    public static func named(_ name: String) -> SyntheticTask? {
        builtIn.first { $0.name == name }
    }

    /// The label of sample `index`. Generated tasks deal labels in blocks of `classCount` samples, each block a
    /// permutation of the classes fixed by the seed, so every prefix of k·classCount samples is balanced.
    public func label(ofSample index: Int, seed: UInt64) -> Int {
        precondition(index >= 0, "sample indices start at 0, got \(index)")
        if let fixedLabels { return fixedLabels[index % fixedLabels.count] }
        let block = index / classCount
        var random = SimulatorRandom(seed: seed, stream: 0xB10C_0000_0000 &+ UInt64(block))
        return random.permutation(classCount)[index % classCount]
    }

    /// The scene of sample `index` (whose label is `label`), drawn with `random`.
    public func scene(index: Int, label: Int, size: SensorSize, duration: Microseconds,
                      random: inout SimulatorRandom) -> any Scene {
        precondition((0..<classCount).contains(label), "task \(name) has labels 0..<\(classCount), got \(label)")
        return makeScene(index, label, size, duration, &random)
    }

    /// N-MNIST-style recordings of pictures: `pictures[k]` has label `labels[k]`, naming `classNames[labels[k]]`.
    public static func pictures(_ pictures: [GrayImage], labels: [Int], classNames: [String],
                                defaultSize: SensorSize = SensorSize(width: 32, height: 32)) -> SyntheticTask {
        precondition(!pictures.isEmpty && pictures.count == labels.count,
                     "pictures need one label each: \(pictures.count) pictures, \(labels.count) labels")
        precondition(labels.allSatisfy { (0..<classNames.count).contains($0) }, "a picture label names no class")
        return SyntheticTask(name: "pictures", classNames: classNames, defaultSize: defaultSize,
                             fixedLabels: labels) { index, _, size, duration, random in
            let amplitude = 3.0 * Double(min(size.width, size.height)) / 32
            return SaccadeScene.picture(pictures[index % pictures.count], size: size, duration: duration,
                                        amplitude: amplitude, random: &random)
        }
    }
}
