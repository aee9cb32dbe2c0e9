import Dispatch

/// Running independent parts of a kernel on the machine's cores (two here). Callers guarantee that the parts write
/// disjoint memory; that is why the closure need not be `Sendable`.
public enum Parallel {
    /// Calls `body(0) … body(parts − 1)` concurrently and returns when all are done (inline when parts is 1).
    public static func run(parts: Int, _ body: (Int) -> Void) {
        if parts <= 1 { body(0); return }
        withoutActuallyEscaping(body) { escapable in
            let box = Unchecked(body: escapable)
            DispatchQueue.concurrentPerform(iterations: parts) { box.body($0) }
        }
    }

    private struct Unchecked: @unchecked Sendable {
        let body: (Int) -> Void
    }
}
