import Training

/// When a session remembers classes taught earlier (`ClassMemory`), as journals and running checkpoints record it:
/// by default when a new class is taught to a network that has learned others (`newClass`); from the first step
/// (`always`, `--class-memory`); or never (`off`, `--no-class-memory`).
public enum ClassMemoryMode: String, Sendable, Equatable, Codable, CaseIterable {
    case off
    case newClass = "new-class"
    case always

    /// The learner's memory for this mode.
    public var memory: ClassMemory? {
        switch self {
        case .off: nil
        case .newClass: .onNewClass()
        case .always: ClassMemory()
        }
    }

    /// The mode a learner's memory is in.
    public init(_ memory: ClassMemory?) {
        switch memory?.engagement {
        case nil: self = .off
        case .onNewClass?: self = .newClass
        case .always?: self = .always
        }
    }
}
