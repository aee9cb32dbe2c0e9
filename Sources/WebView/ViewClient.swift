import Foundation

/// One browser: a mailbox of one message (the newest wins; one replaced before it was sent counts as dropped) and
/// a thread that sends it. A slow or stalled browser blocks only its own thread: whoever posts never waits and
/// memory stays one message per client.
final class ViewClient: @unchecked Sendable {
    // @unchecked: `pending`, `running`, `dropped` and `sent` are guarded by `condition`.
    let socket: WebSocket
    private let condition = NSCondition()
    private var pending: [UInt8]?
    private var running = true
    private var thread: Thread?
    private(set) var dropped = 0
    private(set) var sent = 0

    init(socket: WebSocket, hello: String) {
        self.socket = socket
        let t = Thread { [self] in
            ViewThreads.lowerPriority()
            guard socket.send(text: hello) else { return }
            while let message = next() {
                if !socket.send(binary: message) { return }
                condition.lock(); sent += 1; condition.unlock()
            }
        }
        t.name = "ottt-web-client"
        thread = t
        t.start()
    }

    /// Replaces the waiting message (from the view's sender, never blocking on the browser).
    func post(_ message: [UInt8]) {
        condition.lock()
        if pending != nil { dropped += 1 }
        pending = message
        condition.signal()
        condition.unlock()
    }

    var counts: (sent: Int, dropped: Int) { condition.lock(); defer { condition.unlock() }; return (sent, dropped) }

    private func next() -> [UInt8]? {
        condition.lock(); defer { condition.unlock() }
        while running && pending == nil { condition.wait() }
        guard running else { return nil }
        defer { pending = nil }
        return pending
    }

    /// Stops the thread (the socket is closed or closing) and waits for it.
    func stop() {
        condition.lock(); running = false; condition.signal(); condition.unlock()
        while let t = thread, !t.isFinished { usleep(1000) }
    }
}
