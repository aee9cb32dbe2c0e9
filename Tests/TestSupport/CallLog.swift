import Foundation

/// What a seam was called with, in order, from any thread: `add` is the seam's closure, `calls` what it heard
/// (`FileSync.$observer.withValue(log.add) { … }`).
public final class CallLog<Call: Sendable>: @unchecked Sendable {
    // @unchecked: `list` is only touched under `lock`.
    private let lock = NSLock()
    private var list: [Call] = []

    public init() {}

    public var calls: [Call] { lock.lock(); defer { lock.unlock() }; return list }

    @Sendable public func add(_ call: Call) { lock.lock(); list.append(call); lock.unlock() }
}
