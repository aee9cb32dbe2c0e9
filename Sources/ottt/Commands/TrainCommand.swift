import Foundation
import Pictures
import Datasets
import EventBinning
import SNN
import Tensors
import Training

/// `ottt train`: trains a spiking network on a dataset or on synthetic data, evaluating each epoch.
struct TrainCommand: Command {
    static let name = "train"
    static let abstract = "Train a spiking network with OTTT (or BPTT) on a dataset or synthetic data."
    static let usage = """
    usage: ottt train --dataset D [--data DIR] [OPTIONS]
           ottt train --resume CKPT [--data DIR] [--epochs E] [--out DIR] [--metrics FILE] [--plot FILE.svg]

    Trains on the train part, evaluates on the test part after every epoch, and prints one line per epoch.
    A progress bar (samples/s, loss, accuracy, ETA) is drawn on stderr when it is a terminal.

    Data:
    \(DataLocation.usage)
      --frames M        paper | clean: how recordings become frames (default paper for cifar10dvs: the official
                        pipeline with its uint8 wrap and premultiplied resize, pad-4 random crops, the paper's
                        mean/std; clean otherwise: area-downsampled counts normalised by their measured mean/std)
      --samples N       synthetic: training samples (default 512; the test set has N/4)
      --classes K       synthetic: classes (default 4)

    Network and training (defaults from the preset):
      --preset P        paper-cifar10dvs (default for cifar10dvs: the paper's VGG, T 10, SGD lr 0.1 momentum 0.9,
                        cosine over the epochs, batch 128) | small32 (default otherwise) | small48
      --net SPEC        a network in words instead, e.g. 2x32x32:c32-a2-c64-a2-fc10 (the classifier is resized to
                        the dataset's classes when it comes from a preset)
      --dropout P       neuron dropout (default: the preset's; 0 with --net)
      --rule R          ottt-a | ottt-o | bptt (default ottt-a)
      --T N             time steps per sample (default 10)
      --batch B         batch size
      --epochs E        epochs (the cosine schedule spans them)
      --optimizer O     sgd | adam (default sgd)
      --lr X            base learning rate (default: the preset's for sgd, 0.001 for adam)
      --momentum M      SGD momentum (default 0.9)
      --weight-decay W  (default 0)
      --seed S          initialisation, shuffling, augmentation and synthetic data (default 1)

    Output:
      --out DIR         checkpoints: DIR/last.safetensors after every epoch, DIR/best.safetensors at the best test
                        accuracy
      --resume CKPT     continue a run from its checkpoint (network, optimizer, configuration, curves); only
                        --epochs (a longer schedule), --data, --cache and the outputs may be given with it
      --metrics FILE    one JSON object per epoch (appended when resuming)
      --plot FILE.svg   loss and accuracy curves, redrawn after every epoch
      --json            print each epoch's line as JSON on stdout

    Many processes and machines (Open MPI): mpirun -np N ottt train … splits each batch of B over the N ranks
    (B stays the global batch: the same training as one process, up to float summation order), sums gradients
    once per batch for ottt-a, overlapping the last backward; rank 0 alone prints and writes; --resume works on
    any number of ranks. ottt-o sums after every time step: T allreduces per batch (small32 at batch
    16 on 2 ranks here: 20 ms each, 28 % of the step, against one per batch for ottt-a). A failing or
    killed rank stops them all with one line. replay --learn and live --learn stay single-process (one stream).

    Examples:
      ottt train --dataset cifar10dvs --data ~/data/CIFAR10DVS --out runs/paper --plot runs/paper/curves.svg
      mpirun -np 2 ottt train --dataset synthetic --epochs 3 --batch 32
      ottt train --dataset synthetic --epochs 3 --batch 16
      ottt train --resume runs/paper/last.safetensors --data ~/data/CIFAR10DVS --out runs/paper
    """

    let location: DataLocation
    let config: TrainingConfig
    let data: DataConfig
    let resume: Checkpoint?
    let outputDirectory: String?
    let metricsPath: String?
    let plotPath: String?
    let json: Bool

    init(arguments: Arguments) throws {
        var a = arguments
        outputDirectory = try a.option("out")
        metricsPath = try a.option("metrics")
        plotPath = try a.option("plot")
        json = a.flag("json")
        let epochs = try a.option("epochs").map { s in
            guard let e = Int(s), e > 0 else { throw UsageError("--epochs: cannot use '\(s)'") }
            return e
        }
        if let path = try a.option("resume") {
            let checkpoint = try Checkpoint.load(from: path)
            var config = try TrainingConfig.stored(in: checkpoint)
            let data = try DataConfig.stored(in: checkpoint)
            let fixed = ["preset", "net", "dropout", "rule", "T", "batch", "optimizer", "lr", "momentum", "weight-decay",
                         "seed", "frames", "samples", "classes"]
            for name in fixed {
                if try a.option(name) != nil {
                    throw UsageError("--\(name) cannot change when resuming (the run's configuration is in \(path))")
                }
            }
            location = try DataLocation.parse(&a, fallback: data.dataset)
            guard location.source == data.dataset else {
                throw UsageError("--dataset \(location.source): \(path) was trained on \(data.dataset)")
            }
            if let epochs { config.epochs = epochs }
            self.config = config
            self.data = data
            resume = checkpoint
        } else {
            location = try DataLocation.parse(&a, fallback: nil)
            resume = nil
            (config, data) = try TrainCommand.configure(&a, location: location, epochs: epochs)
        }
        try a.finish()
    }

    /// The configuration of a fresh run from the flags, the preset's values filling the rest.
    static func configure(_ a: inout Arguments, location: DataLocation, epochs: Int?) throws -> (TrainingConfig, DataConfig) {
        let presetName = try a.option("preset")
        let net = try a.option("net")
        if presetName != nil && net != nil { throw UsageError("give --preset or --net, not both") }
        let cifar = location.source == .events(.cifar10dvs)
        let chosen = presetName ?? (net == nil ? (cifar ? "paper-cifar10dvs" : "small32") : nil)
        let preset = try chosen.map { name in
            guard let p = Preset.named(name) else {
                throw UsageError("--preset: no preset '\(name)' (\(NetworkSpec.presetNames.joined(separator: ", ")))")
            }
            return p
        }
        let dropout = try a.option("dropout", default: preset?.network.dropout ?? 0) { Float($0).flatMap { (0..<1).contains($0) ? $0 : nil } }
        var spec: NetworkSpec
        if let net {
            do { spec = try NetworkSpec(parsing: net, dropout: dropout) } catch { throw UsageError("--net: \(error)") }
        } else if let preset {
            spec = preset.network
            spec.dropout = dropout
        } else {
            throw UsageError("give --preset or --net")
        }
        if location.source != .synthetic && spec.input[0] != Frames.channels {
            throw UsageError("event frames have \(Frames.channels) channels (OFF, ON); the network's input is \(spec.input)")
        }
        let rule = try a.option("rule", default: preset?.rule ?? .otttA) { LearningRuleKind(rawValue: $0.lowercased()) }
        let steps = try a.positiveInt("T", default: preset?.steps ?? 10)
        let batch = try a.positiveInt("batch", default: preset?.batchSize ?? 16)
        let optimizer = try a.option("optimizer", default: OptimizerKind.sgd) { OptimizerKind(rawValue: $0.lowercased()) }
        let lr = try a.option("lr", default: optimizer == .adam ? 0.001 : preset?.learningRate ?? 0.1) {
            Float($0).flatMap { $0 > 0 && $0.isFinite ? $0 : nil }
        }
        let momentum = try a.option("momentum", default: preset?.momentum ?? 0.9) { Float($0).flatMap { (0..<1).contains($0) ? $0 : nil } }
        let weightDecay = try a.option("weight-decay", default: preset?.weightDecay ?? 0) { Float($0).flatMap { $0 >= 0 ? $0 : nil } }
        let seed = try a.option("seed", default: UInt64(1)) { UInt64($0) }
        let frames = try a.option("frames", default: cifar ? FrameMode.paper : .clean) { FrameMode(rawValue: $0.lowercased()) }
        let samplesText = try a.option("samples"), classesText = try a.option("classes")
        if location.source != .synthetic && (samplesText != nil || classesText != nil) {
            throw UsageError("--samples and --classes are for --dataset synthetic")
        }
        guard let samples = Int(samplesText ?? "512"), samples > 0 else { throw UsageError("--samples: cannot use '\(samplesText ?? "")'") }
        guard let syntheticClasses = Int(classesText ?? "4"), syntheticClasses > 1 else {
            throw UsageError("--classes: cannot use '\(classesText ?? "")' (at least 2)")
        }

        let classes = try location.classes(syntheticClasses: syntheticClasses)
        if spec.classes != classes.count {
            guard net == nil else {
                throw UsageError("--net ends in fc\(spec.classes) but the dataset has \(classes.count) classes")
            }
            spec.layers[spec.layers.count - 1] = .linear(outputs: classes.count)
        }
        let config = TrainingConfig(preset: chosen, network: spec.description, dropout: spec.dropout, rule: rule,
                                    steps: steps, batch: batch, epochs: epochs ?? preset?.epochs ?? 30, optimizer: optimizer,
                                    learningRate: lr, momentum: momentum, weightDecay: weightDecay, seed: seed)
        let data = DataConfig(dataset: location.source, frames: frames, normalization: nil, classes: classes,
                              syntheticSamples: samples, syntheticSeed: seed)
        return (config, data)
    }

    /// Builds the run: the trainer (fresh or from the checkpoint) on the train and test samples, and its outputs
    /// (written by rank 0 alone).
    func makeRun(ranks: TrainingRanks = TrainingRanks(communicator: .single)) throws -> TrainingRun {
        var data = self.data
        let spec = try config.spec()
        let (train, normalization) = try location.samples(.train, config: data, steps: config.steps,
                                                          frameShape: spec.input, augment: true)
        data.normalization = normalization
        let (test, _) = try location.samples(.test, config: data, steps: config.steps, frameShape: spec.input, augment: false)
        let trainer = try resume.map { try Trainer(resuming: $0, epochs: config.epochs, train: train, test: test) }
            ?? Trainer(config: config, train: train, test: test)
        trainer.checkpointMetadata[DataConfig.metadataKey] = data.json
        trainer.communicator = ranks.communicator
        guard ranks.isRoot else {
            let quiet = TrainingRun(trainer: trainer, data: data, metricsFile: nil, plotPath: nil)
            quiet.showProgress = false
            return quiet
        }
        if let dir = outputDirectory {
            do { try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true) } catch {
                throw CommandFailure("cannot create \(dir): \(error.localizedDescription)")
            }
            trainer.checkpointDirectory = dir
        }
        let metricsFile = try metricsPath.map { try JSONLinesFile(path: $0, append: resume != nil) }
        if let plotPath {
            // Drawn now (the curves so far) so that an unwritable path fails before the first epoch, not after it.
            try SVGChart.write(EpochMetrics.charts(trainer.history, title: config.title), to: plotPath)
        }
        return TrainingRun(trainer: trainer, data: data, metricsFile: metricsFile, plotPath: plotPath)
    }

    func run() throws {
        let ranks = try TrainingRanks.join()
        try ranks.run { try train(ranks) }
    }

    private func train(_ ranks: TrainingRanks) throws {
        let run = try makeRun(ranks: ranks)
        let (c, d, trainer) = (run.config, run.data, run.trainer)
        guard ranks.isRoot else { return try run.run() }
        if !json {
            print("\(c.preset.map { "preset \($0), " } ?? "")network \(c.network) (\(trainer.network.parameterCount) parameters), "
                  + "\(c.rule.rawValue), T \(c.steps), batch \(c.batch), \(c.optimizer.rawValue) lr \(c.learningRate), \(c.epochs) epochs")
            print("data \(d.dataset) (\(d.dataset == .synthetic ? "synthetic" : d.frames.rawValue + " frames")): "
                  + "\(trainer.train.count) train, \(trainer.test?.count ?? 0) test samples, \(d.classes.count) classes"
                  + (resume.map { ", resuming after epoch \(trainer.history.count) from \($0.path)" } ?? ""))
            if ranks.communicator.size > 1 {
                print("ranks \(ranks.communicator.size): batch \(c.batch) split over them, gradients summed every "
                      + (c.rule == .otttO ? "time step" : "batch") + ", \(Parallel.width) thread(s) each")
            }
        }
        try run.run { m in
            if json { print(m.jsonLine) } else { print(TrainCommand.line(m, epochs: c.epochs)) }
            fflush(nil)   // all C streams: the line reaches a pipe now, not at exit
        }
    }

    static func line(_ m: EpochMetrics, epochs: Int) -> String {
        let test = m.testAccuracy.map { String(format: "  test loss %.4f acc %5.2f%%", m.testLoss ?? 0, 100 * $0) } ?? ""
        return String(format: "epoch %d/%d  lr %.4g  train loss %.4f acc %5.2f%%%@  %.1f samples/s  %.0f s",
                      m.epoch, epochs, m.learningRate, m.trainLoss, 100 * m.trainAccuracy, test, m.samplesPerSecond, m.seconds)
    }
}
