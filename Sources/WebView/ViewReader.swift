internal import CCivetwebShim
import Foundation

/// A client of the view's stream that reads and counts its messages without drawing them: what a browser costs
/// the server, with no browser (civetweb's WebSocket client; the counting runs in C on civetweb's reader thread).
/// For benchmarks and tests. Closes in `deinit` or `close()`.
public final class ViewReader: @unchecked Sendable {
    // @unchecked: `reader` is set in init and cleared once by `close()` under `lock`; the counters are atomics.
    public let url: String
    private var reader: OpaquePointer?
    private let lock = NSLock()

    /// Connects to `ws://host:port/stream` (with `?token=` when given).
    public init(host: String, port: Int, token: String? = nil) throws(WebServerError) {
        let path = "/stream" + (token.map { "?token=\($0)" } ?? "")
        url = "ws://\(host):\(port)\(path)"
        var error = [CChar](repeating: 0, count: 256)
        let opened = error.withUnsafeMutableBufferPointer { e in
            ottt_web_reader_open(host, Int32(clamping: port), path, e.baseAddress, e.count)
        }
        guard let opened else {
            let reason = String(decoding: error.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self)
            throw .cannotConnect(url: url, reason: reason.isEmpty ? "no reason given" : reason)
        }
        reader = opened
    }

    deinit { close() }

    private var final = (messages: 0, bytes: 0, closed: false)

    /// Messages received so far (the greeting included), and their bytes (kept after `close()`).
    public var messages: Int { lock.withLock { reader.map { Int(ottt_web_reader_messages($0)) } ?? final.messages } }
    public var bytes: Int { lock.withLock { reader.map { Int(ottt_web_reader_bytes($0)) } ?? final.bytes } }
    /// Whether the server closed the connection before `close()`.
    public var isClosedByServer: Bool { lock.withLock { reader.map { ottt_web_reader_closed($0) != 0 } ?? final.closed } }

    /// Closes the connection and waits for civetweb's reader thread.
    public func close() {
        lock.withLock {
            guard let r = reader else { return }
            final = (Int(ottt_web_reader_messages(r)), Int(ottt_web_reader_bytes(r)), ottt_web_reader_closed(r) != 0)
            reader = nil
            ottt_web_reader_free(r)
        }
    }
}
