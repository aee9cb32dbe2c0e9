import Foundation

/// A checkpoint of a running learner: the learner's own tensors (weights, optimizer, neuron state) plus, in its
/// metadata, the learner stage's state (running scores, metrics, reset tracker) and the session settings with the
/// stream position — where the next bin starts and its index — so that a stopped replay resumes where it stopped.
public enum RunningCheckpoint {
    static let stageKey = "ottt.stage"
    static let sessionKey = "ottt.session"
    static let sourceKey = "ottt.source"

    /// Saves after the last processed bin. `source` names the stream (a file path) so a resume can check it.
    public static func save(to path: String, learner: any OnlineLearner, stage: LearnerStage,
                            settings: SessionSettings, source: String) throws {
        var session = settings
        if let lastBin = stage.state.lastBin, let lastEnd = stage.state.lastEnd {
            session.origin = lastEnd
            session.firstBin = lastBin + 1
        }
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        let metadata = [
            stageKey: String(decoding: try encoder.encode(stage.state), as: UTF8.self),
            sessionKey: String(decoding: try encoder.encode(session), as: UTF8.self),
            sourceKey: source,
        ]
        try learner.saveCheckpoint(to: path, metadata: metadata)
    }

    /// What a running checkpoint holds besides the learner's tensors.
    public struct Position: Sendable {
        public var stage: StageState
        /// The settings to continue with: `origin` and `firstBin` give where the stream resumes.
        public var settings: SessionSettings
        public var source: String
    }

    /// Loads the learner's tensors from `path` and returns the stream position, or nil when the checkpoint is a
    /// plain model (no running state).
    public static func load(from path: String, into learner: any OnlineLearner) throws -> Position? {
        try position(in: try learner.loadCheckpoint(from: path), file: path)
    }

    /// The stream position in a checkpoint's metadata, or nil when it has none (a plain model).
    public static func position(in metadata: [String: String], file path: String) throws -> Position? {
        guard let stage = metadata[stageKey], let session = metadata[sessionKey] else { return nil }
        let decoder = JSONDecoder()
        do {
            return Position(stage: try decoder.decode(StageState.self, from: Data(stage.utf8)),
                            settings: try decoder.decode(SessionSettings.self, from: Data(session.utf8)),
                            source: metadata[sourceKey] ?? "")
        } catch {
            throw PipelineError(file: path, expected: "a running checkpoint's stage and session metadata",
                                found: "\(error)")
        }
    }
}
