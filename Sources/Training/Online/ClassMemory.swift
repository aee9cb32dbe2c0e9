/// How an online learner remembers classes taught earlier while it learns new ones (class-incremental learning,
/// a camera user teaching one class after another), in constant memory.
///
/// Cross-entropy on labels of the new classes only pushes the classifier's rows of the old classes down until they
/// never win: with nothing else, classes 0–4 of the simulator's digits fall from 100 % to 0 % held out after 5–9
/// are taught (even with the convolutions frozen: the forgetting is the classifier's). With a class memory:
///
/// - the output is each class's nearest-prototype score, cos(f, μ_k) (`ClassPrototypes`, classes × features
///   floats, a running mean over at most `window` labelled steps per class), f the last spiking layer's traces;
///   the classifier is still trained, for the gradients it sends to the convolutions;
/// - the convolutions' steps are scaled by min(1, settling / updates): they learn at full rate for the first
///   `settling` updates, then settle, so that the features old prototypes were taken from stay valid.
///
/// Measured (README, "Learning online"): old classes stay above 90 %, but single-phase accuracy drops by 5–15
/// points (the features stop improving), so sessions leave it off unless asked.
public struct ClassMemory: Sendable, Equatable {
    public var window: Int
    public var settling: Int

    public init(window: Int = 1000, settling: Int = 20) {
        precondition(window > 0 && settling > 0, "class memory window \(window), settling \(settling)")
        self.window = window
        self.settling = settling
    }
}
