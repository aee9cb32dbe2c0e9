import Foundation
import InputLimits
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
      --resize M        paper | counts | clean: how recordings become frames; each dataset's preset has its own
                        (default paper for cifar10dvs: the official pipeline with its uint8 wrap and premultiplied
                        resize, pad-4 random crops, the paper's mean/std; counts for dvsgesture: the official
                        loader's raw event counts, no resize, augmentation or normalisation; clean otherwise:
                        area-downsampled counts normalised by their measured mean/std). paper on another dataset
                        is an error
      --samples N       synthetic: training samples (default 512; the test set has N/4)
      --classes K       synthetic: classes (default 4)

    Network and training (defaults from the preset; the official scripts' names in brackets):
      --preset P        paper-cifar10dvs (default for cifar10dvs: train_cifar10dvs.py's VGG-11 on 2x48x48, T 10,
                        SGD lr 0.1 momentum 0.9, cosine over 300 epochs, batch 128, dropout 0.1) |
                        paper-dvsgesture (default for dvsgesture: train_dvsgesture.py's VGG-11 on 2x128x128, T 20,
                        Adam lr 0.001, cosine T_max 300, 300 epochs, batch 16, no dropout) |
                        small32 (default otherwise) | small48                                       [-model]
      --net SPEC        a network in words instead, e.g. 2x32x32:c32-a2-c64-a2-fc10 (the classifier is resized to
                        the dataset's classes when it comes from a preset)
      --neuron N        lif | if: OnlineLIFNode or OnlineIFNode (no leak) (default lif)   [single_step_neuron]
      --tau X           the LIF neuron's time constant τ, λ = 1 − 1/τ (default 2)                [-tau]
      --dropout P       neuron dropout (default: the preset's; 0 with --net)                  [-drop_rate]
      --gamma X         γ, the MSE share of the loss (1−γ)·CE + γ·MSE (default 0.001)      [-loss_lambda]
      --rule R          ottt-a | ottt-o (an update every step) | bptt (default ottt-a)   [-online_update]
      --steps N         time steps T per sample (default: the preset's, else 10)                  [-T]
      --steps-train N   train on N of the T frames, drawn at random per batch and kept in order;
                        evaluation uses all T (default: all T)                                [-T_train]
      --batch B         batch size (default: the preset's — 128 cifar10dvs, 16 dvsgesture — else 16)   [-b]
      --epochs E        epochs (default: the preset's — 300 for both paper presets — else 30)   [-epochs]
      --cosine-epochs N the cosine schedule's horizon: lr(e) = lr0 (1 + cos(pi e / N)) / 2
                        (default: the preset's T_max, else the epochs)                        [-T_max]
      --optimizer O     sgd | adam (default: the preset's; sgd without one)                     [-opt]
      --lr X            base learning rate (default: the preset's — 0.1 sgd cifar10dvs, 0.001 adam dvsgesture;
                        else 0.1 for sgd, 0.001 for adam)                                      [-lr]
      --momentum M      SGD momentum (default 0.9)                                         [-momentum]
      --weight-decay W  (default 0)          [ours; the scripts have none]
      --seed S          initialisation, shuffling, augmentation, T_train draws and synthetic data
                        (default 1; the official scripts use 2022 with PyTorch's generators)

    Output:
      --out DIR         checkpoints: DIR/last.safetensors after every epoch, DIR/best.safetensors at the best test
                        accuracy
      --resume CKPT     continue a run from its checkpoint (network, optimizer, configuration, curves); only
                        --epochs (a longer schedule), --data, --cache and the outputs may be given with it
      --metrics FILE    one JSON object per epoch (appended when resuming)
      --plot FILE.svg   loss and accuracy curves, redrawn after every epoch
      --json            print each epoch's line as JSON on stdout

    Old names, for this release: --T (--steps), --T-train (--steps-train), --frames (--resize).

    Each epoch's line ends with the best test accuracy so far, as the official scripts print max_test_acc.

    Many processes and machines (Open MPI): mpirun -np N ottt train … splits each batch of B over the N ranks
    (B stays the global batch: the same training as one process, up to float summation order), sums gradients
    once per batch for ottt-a, overlapping the last backward; rank 0 alone prints and writes; --resume works on
    any number of ranks. ottt-o sums after every time step: T allreduces per batch (small32 at batch
    16 on 2 ranks here: 20 ms each, 28 % of the step, against one per batch for ottt-a). A failing or
    killed rank stops them all with one line. replay --learn and live --learn stay single-process (one stream).

    Examples:
      ottt train --dataset cifar10dvs --data ~/data/CIFAR10DVS --out runs/paper --plot runs/paper/curves.svg
      ottt train --dataset dvsgesture --data ~/data/DVS128Gesture --out runs/gesture
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
        TrainCommand.renameOld(&a)
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
            let fixed = ["preset", "net", "dropout", "rule", "steps", "batch", "optimizer", "lr", "momentum", "weight-decay",
                         "seed", "resize", "samples", "classes", "tau", "neuron", "gamma", "steps-train", "cosine-epochs"]
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

    /// The names of the paper's scripts and of earlier releases: `--T` (now `--steps`, as on every command),
    /// `--T-train` (`--steps-train`), `--frames` (`--resize`, the paper/clean choice on every command).
    static func renameOld(_ a: inout Arguments) {
        a.rename("T", to: "steps")
        a.rename("T-train", to: "steps-train")
        a.rename("frames", to: "resize")
    }

    /// The configuration of a fresh run from the flags, the preset's values filling the rest.
    static func configure(_ a: inout Arguments, location: DataLocation, epochs: Int?) throws -> (TrainingConfig, DataConfig) {
        renameOld(&a)
        let presetName = try a.option("preset")
        let net = try a.option("net")
        if presetName != nil && net != nil { throw UsageError("give --preset or --net, not both") }
        let native = FrameMode.native(for: location.source.datasetKind)
        let paperPreset = location.source.datasetKind.map { "paper-\($0.rawValue)" }.flatMap { NetworkSpec.preset($0) == nil ? nil : $0 }
        let chosen = presetName ?? (net == nil ? (paperPreset ?? "small32") : nil)
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
        let neuron = try a.option("neuron", default: NeuronKind.lif) { NeuronKind(rawValue: $0.lowercased()) }
        let tau = try a.option("tau").map { text in
            guard let t = Float(text), t.isFinite, t >= 1 else { throw UsageError("--tau: cannot use '\(text)' (a number ≥ 1)") }
            guard neuron == .lif else { throw UsageError("--tau is the LIF neuron's; the IF neuron has no leak") }
            return t
        }
        let gamma = try a.option("gamma").map { text in
            guard let g = Float(text), (0...1).contains(g) else { throw UsageError("--gamma: cannot use '\(text)' (0…1)") }
            return g
        }
        let rule = try a.option("rule", default: preset?.rule ?? .otttA) { LearningRuleKind(rawValue: $0.lowercased()) }
        let steps = try a.positiveInt("steps", default: preset?.steps ?? 10)
        let trainSteps = try a.positiveInt("steps-train")
        if let trainSteps, trainSteps > steps { throw UsageError("--steps-train \(trainSteps) is more than --steps \(steps)") }
        let horizon = try a.positiveInt("cosine-epochs") ?? preset?.cosineHorizon
        let batch = try a.positiveInt("batch", default: preset?.batchSize ?? 16)
        let optimizer = try a.option("optimizer", default: preset?.optimizer ?? .sgd) { OptimizerKind(rawValue: $0.lowercased()) }
        let presetRate = preset.flatMap { $0.optimizer == optimizer ? $0.learningRate : nil }
        let lr = try a.option("lr", default: presetRate ?? (optimizer == .adam ? 0.001 : preset?.learningRate ?? 0.1)) {
            Float($0).flatMap { $0 > 0 && $0.isFinite ? $0 : nil }
        }
        let momentum = try a.option("momentum", default: preset?.momentum ?? 0.9) { Float($0).flatMap { (0..<1).contains($0) ? $0 : nil } }
        let weightDecay = try a.option("weight-decay", default: preset?.weightDecay ?? 0) { Float($0).flatMap { $0 >= 0 ? $0 : nil } }
        let seed = try a.option("seed", default: UInt64(1)) { UInt64($0) }
        let frames = try a.option("resize", default: native) { FrameMode(rawValue: $0.lowercased()) }
        if let kind = location.source.datasetKind, frames == .paper, kind != .cifar10dvs {
            throw UsageError("--resize paper is CIFAR10-DVS's pipeline (its resize quirks and mean/std); "
                             + "\(kind.rawValue) uses --resize \(native.rawValue)")
        }
        let samplesText = try a.option("samples"), classesText = try a.option("classes")
        if location.source != .synthetic && (samplesText != nil || classesText != nil) {
            throw UsageError("--samples and --classes are for --dataset synthetic")
        }
        guard let samples = Int(samplesText ?? "512"), (1...DataConfig.maxSyntheticSamples).contains(samples) else {
            throw UsageError("--samples: cannot use '\(samplesText ?? "")' (1 to \(DataConfig.maxSyntheticSamples))")
        }
        let classLimit = Limits.current.labelClasses
        guard let syntheticClasses = Int(classesText ?? "4"), (2...classLimit).contains(syntheticClasses) else {
            throw UsageError("--classes: cannot use '\(classesText ?? "")' (2 to \(classLimit); --max-classes raises it)")
        }
        // A batch of T frames is made at once: bounded by the frame budget (T 10⁹ is a usage error, not an abort).
        do {
            try Limits.current.checkFrames(count: Limits.product([batch, steps]) ?? -1, height: spec.input[1],
                                           width: spec.input[2], what: "a batch of \(batch) samples × T \(steps)")
        } catch { throw UsageError("--T and --batch: \(error)") }

        let classes = try location.classes(syntheticClasses: syntheticClasses)
        if spec.classes != classes.count {
            guard net == nil else {
                throw UsageError("--net ends in \(spec.hasNormalizedClassifier ? "fcn" : "fc")\(spec.classes) but the dataset has \(classes.count) classes")
            }
            spec = spec.withClassifier(classes: classes.count)
        }
        var config = TrainingConfig(preset: chosen, network: spec.description, dropout: spec.dropout, rule: rule,
                                    steps: steps, batch: batch, epochs: epochs ?? preset?.epochs ?? 30, optimizer: optimizer,
                                    learningRate: lr, momentum: momentum, weightDecay: weightDecay, seed: seed)
        config.tau = tau
        config.neuron = neuron == .lif ? nil : neuron
        config.gamma = gamma
        config.trainSteps = trainSteps.flatMap { $0 < steps ? $0 : nil }
        config.cosineHorizon = horizon
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
                  + "\(c.rule.rawValue), T \(c.steps)\(c.trainSteps.map { " (T_train \($0))" } ?? ""), batch \(c.batch), "
                  + "\(c.optimizer.rawValue) lr \(c.learningRate), \(c.epochs) epochs (cosine over \(c.cosineHorizon ?? c.epochs)), "
                  + "\(c.neuron == .integrateAndFire ? "IF neuron" : "LIF τ \(c.tau ?? 2)"), γ \(c.lossGamma)")
            print("data \(d.dataset) (\(d.dataset == .synthetic ? "synthetic" : d.frames.rawValue + " frames")): "
                  + "\(trainer.train.count) train, \(trainer.test?.count ?? 0) test samples, \(d.classes.count) classes"
                  + (resume.map { ", resuming after epoch \(trainer.history.count) from \($0.path)" } ?? ""))
            if ranks.communicator.size > 1 {
                print("ranks \(ranks.communicator.size): batch \(c.batch) split over them, gradients summed every "
                      + (c.rule == .otttO ? "time step" : "batch") + ", \(Parallel.width) thread(s) each")
            }
        }
        try run.run { m in
            if json { print(m.jsonLine) } else { print(TrainCommand.line(m, epochs: c.epochs, history: trainer.history)) }
            fflush(nil)   // all C streams: the line reaches a pipe now, not at exit
        }
    }

    /// One epoch's line; with a test set it ends with the best test accuracy of `history` (the official
    /// scripts' `max_test_acc`).
    static func line(_ m: EpochMetrics, epochs: Int, history: [EpochMetrics] = []) -> String {
        let best = (history + [m]).compactMap(\.testAccuracy).max()
        let test = m.testAccuracy.map {
            String(format: "  test loss %.4f acc %5.2f%% (max %5.2f%%)", m.testLoss ?? 0, 100 * $0, 100 * (best ?? $0))
        } ?? ""
        return String(format: "epoch %d/%d  lr %.4g  train loss %.4f acc %5.2f%%%@  %.1f samples/s  %.0f s",
                      m.epoch, epochs, m.learningRate, m.trainLoss, 100 * m.trainAccuracy, test, m.samplesPerSecond, m.seconds)
    }
}
