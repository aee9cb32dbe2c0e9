import DVSEvents

/// A source with its events before `start` removed: a resumed session skips, without pacing, what the stopped one
/// already learned from.
final class ResumedEventSource: EventSource {
    let inner: any EventSource
    let start: Microseconds
    private var reached = false

    init(_ inner: any EventSource, from start: Microseconds) {
        self.inner = inner
        self.start = start
    }

    var info: StreamInfo { inner.info }

    func read(into buffer: EventBuffer) throws -> Bool {
        while true {
            guard try inner.read(into: buffer) else { return false }
            if reached { return true }
            let t = buffer.t
            guard let first = t.firstIndex(where: { $0 >= start }) else { continue }
            reached = true
            if first > 0 {
                let rest = EventBuffer(capacity: buffer.count - first)
                rest.append(contentsOf: buffer, range: first..<buffer.count)
                buffer.removeAll()
                buffer.append(contentsOf: rest)
            }
            return true
        }
    }
}
