/// How an online learner remembers classes taught earlier while it learns new ones (class-incremental learning,
/// a camera user teaching one class after another), in constant memory.
///
/// Cross-entropy on labels of the new classes only pushes the classifier's rows of the old classes down until they
/// never win: with nothing else, classes 0–4 of the simulator's digits fall from 100 % to 0 % held out after 5–9
/// are taught (even with the convolutions frozen: the forgetting is the classifier's). While a class memory is
/// engaged:
///
/// - the output is each class's nearest-prototype score, cos(f, μ_k) (`ClassPrototypes`, classes × features
///   floats, a running mean over at most `window` labelled steps per class), f the last spiking layer's traces;
///   the classifier is still trained, for the gradients it sends to the convolutions;
/// - the convolutions step less, so that the features old prototypes were taken from stay valid.
///
/// The prototypes are kept from the first labelled step either way; `engagement` says when they make the output.
public struct ClassMemory: Sendable, Equatable {
    /// When the prototypes make the output and the convolutions are held.
    public enum Engagement: Sendable, Equatable {
        /// From the first step: the convolutions' steps are scaled by min(1, settling / updates), full rate for
        /// the first `settling` updates, then settling (`--class-memory`). It costs single-phase accuracy (the
        /// features stop improving, and a nearest prototype reads them less well than the classifier).
        case always(settling: Int)
        /// When a class is taught for the first time after `after` updates — a class added to a network that has
        /// learned others — and for as long as a class taught earlier has not been taught within the last
        /// `recent` labelled steps; meanwhile the convolutions step at `heldRate` × their rate (the sessions'
        /// default, `ClassWatch`). A stream whose classes all come early and keep coming never engages it.
        case onNewClass(after: Int, recent: Int, heldRate: Float)
    }

    public var window: Int
    public var engagement: Engagement

    /// A memory engaged from the first step (`Engagement.always`).
    public init(window: Int = 1000, settling: Int = 20) {
        precondition(window > 0 && settling > 0, "class memory window \(window), settling \(settling)")
        self.window = window
        engagement = .always(settling: settling)
    }

    /// The sessions' default engagement: a class is new after this many updates, the others count as taught
    /// again within this many labelled steps, and the convolutions step at this fraction of their rate meanwhile.
    public static let newClassAfter = 100, newClassRecent = 300
    public static let newClassHeldRate: Float = 0.05

    /// A memory engaged by a new class (`Engagement.onNewClass`), as the sessions use by default.
    public static func onNewClass(window: Int = 1000, after: Int = newClassAfter, recent: Int = newClassRecent,
                                  heldRate: Float = newClassHeldRate) -> ClassMemory {
        precondition(after >= 0 && recent > 0 && heldRate >= 0 && heldRate <= 1,
                     "class memory after \(after) updates, recent \(recent) steps, held rate \(heldRate)")
        var m = ClassMemory(window: window)
        m.engagement = .onNewClass(after: after, recent: recent, heldRate: heldRate)
        return m
    }
}
