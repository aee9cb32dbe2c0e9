import DVSEvents
import Foundation
import SNN
import Training

extension LearningSession {
    /// The learner, the settings it runs with, and the stream position when it continues a stopped or recorded
    /// session.
    struct Start {
        var learner: any OnlineLearner
        var settings: SessionSettings
        var position: RunningCheckpoint.Position?
    }

    static func makeLearner(_ plan: SessionPlan, sensor: SensorSize,
                            note: (String) -> Void) throws(SessionError) -> Start {
        var settings = plan.settings
        settings.sensor = sensor
        switch plan.start {
        case .journal(let journal, let directory, let given):
            guard let initial = journal.settings.initialCheckpoint else { throw .journalWithoutCheckpoint }
            let path = (directory as NSString).appendingPathComponent(initial)
            if let given {
                let position: RunningCheckpoint.Position?
                do { position = try RunningCheckpoint.load(from: path, into: given) } catch { throw .checkpoint(file: path, error) }
                return Start(learner: given, settings: continuing(journal.settings, at: position), position: position)
            }
            return try resumed(from: path, settings: journal.settings)
        case .resume(let path, let given):
            let position: RunningCheckpoint.Position?
            if let given {
                do { position = try RunningCheckpoint.load(from: path, into: given) } catch { throw .checkpoint(file: path, error) }
            } else {
                position = try runningPosition(path)
            }
            guard let position else { throw .notRunning(file: path) }
            if position.source != plan.sourceName { note("note: \(path) was saved while reading \(position.source)") }
            var saved = position.settings
            saved.learn = saved.learn || plan.settings.learn
            if saved.crop != plan.settings.crop {
                func reading(_ crop: String?) -> String { crop.map { "through the crop \($0)" } ?? "the whole stream" }
                note("note: \(path) was saved reading \(reading(saved.crop)); this run reads \(reading(plan.settings.crop))")
                saved.crop = plan.settings.crop
            }
            if let given { return Start(learner: given, settings: saved, position: position) }
            return try resumed(from: path, settings: saved)
        case .model(let path):
            let learner: OnlineOTTTLearner
            let given = plan.optimizerChoice
            do {
                learner = try OnlineOTTTLearner(
                    checkpoint: path, optimizer: given.kind, learningRate: given.learningRate, momentum: given.momentum,
                    gamma: settings.gamma, schedule: settings.update, maxSegmentSteps: settings.maxSegmentSteps,
                    fallback: settings.onlineOptimizer)
            } catch { throw .checkpoint(file: path, error) }
            learner.resetState()
            // A model saved by a session continues its scale-invariant weights at their recorded rate (`ws_lr`) and
            // its channels as they learned (a model saved without plasticity keeps every channel alike).
            let recorded = learner.optimizer.settings
            settings.configure(learner)
            learner.optimizer.standardizedRate = given.standardizedRate ?? recorded.standardizedRate
            learner.optimizer.plasticity = recorded.plasticity
            settings.network = learner.network.spec.description
            settings.adopt(learner)
            return Start(learner: learner, settings: settings)
        case .fresh(let spec, let seed):
            let learner = engineLearner(network: Network(spec: spec, seed: seed), settings: settings)
            settings.network = spec.description
            return Start(learner: learner, settings: settings)
        case .learner(let learner):
            if let engine = learner as? OnlineOTTTLearner {
                settings.network = engine.network.spec.description
                settings.adopt(engine)
            }
            return Start(learner: learner, settings: settings)
        }
    }

    /// A new engine learner on `network` that learns as `settings` say (optimizer, rate, momentum, update, cap).
    public static func engineLearner(network: Network, settings: SessionSettings) -> OnlineOTTTLearner {
        let learner = OnlineOTTTLearner(network: network,
                                        optimizer: settings.onlineOptimizer.make(),
                                        gamma: settings.gamma, schedule: settings.update,
                                        maxSegmentSteps: settings.maxSegmentSteps)
        settings.configure(learner)
        return learner
    }

    /// An engine learner from a running checkpoint (a journal's start, a `--save`), checked against `settings`.
    private static func resumed(from path: String, settings: SessionSettings) throws(SessionError) -> Start {
        let learner: OnlineOTTTLearner
        do {
            learner = try OnlineOTTTLearner(checkpoint: path, optimizer: settings.optimizer,
                                            learningRate: settings.learningRate, momentum: settings.momentum,
                                            gamma: settings.gamma, schedule: settings.update,
                                            maxSegmentSteps: settings.maxSegmentSteps)
        } catch { throw .checkpoint(file: path, error) }
        settings.configure(learner)
        let position = try runningPosition(path)
        guard learner.network.spec.description == settings.network else {
            throw .otherNetwork(file: path, found: "\(learner.network.spec)", expected: settings.network)
        }
        return Start(learner: learner, settings: continuing(settings, at: position), position: position)
    }

    /// The running state in a checkpoint's metadata; nil for a plain model.
    private static func runningPosition(_ path: String) throws(SessionError) -> RunningCheckpoint.Position? {
        let metadata: [String: String]
        do { metadata = try Checkpoint.load(from: path).metadata } catch { throw .checkpoint(file: path, error) }
        do { return try RunningCheckpoint.position(in: metadata, file: path) } catch { throw .checkpoint(file: path, error) }
    }

    /// `settings` with the stream position (where the next bin starts, its index) of a running checkpoint.
    private static func continuing(_ settings: SessionSettings, at position: RunningCheckpoint.Position?) -> SessionSettings {
        var s = settings
        if let p = position { s.origin = p.settings.origin; s.firstBin = p.settings.firstBin }
        return s
    }
}
