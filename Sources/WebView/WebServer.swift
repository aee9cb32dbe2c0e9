internal import CCivetweb
internal import CCivetwebShim
import Foundation

/// What answers the server's requests and WebSockets (called on civetweb's worker threads).
public protocol WebHandler: AnyObject, Sendable {
    func respond(to request: WebRequest) -> WebResponse
    /// A WebSocket asks to open with `request` (its path and query): true accepts it.
    func acceptSocket(_ request: WebRequest) -> Bool
    func socketOpened(_ socket: WebSocket)
    /// The socket is gone: nothing may be written to it after this returns.
    func socketClosed(_ socket: WebSocket)
}

/// An HTTP and WebSocket server: civetweb (Debian's `libcivetweb-dev`), wrapped once here. Every handled path is
/// the handler's; civetweb serves no files of its own (no document root). Stops in `deinit` or `stop()`.
public final class WebServer: @unchecked Sendable {
    // @unchecked: `context` is written once at start and read-only after; `sockets` is guarded by `lock`.
    /// The largest request body read (controls are a few bytes).
    public static let maxBody = 4096
    public let address: String
    /// The port bound (the one asked for, or the system's choice for 0).
    public private(set) var port: Int = 0
    let handler: any WebHandler
    private var context: OpaquePointer?
    private let callbacks: UnsafeMutablePointer<ottt_web_callbacks>
    private let lock = NSLock()
    private var sockets: [OpaquePointer: WebSocket] = [:]

    /// Starts listening on `address:port` (port 0: any free port) with `workers` threads (each open WebSocket
    /// holds one while it lives).
    public init(address: String, port: Int, workers: Int = 32, handler: any WebHandler) throws(WebServerError) {
        self.address = address
        self.handler = handler
        callbacks = UnsafeMutablePointer<ottt_web_callbacks>.allocate(capacity: 1)
        guard mg_init_library(UInt32(MG_FEATURES_WEBSOCKET)) & UInt32(MG_FEATURES_WEBSOCKET) != 0 else {
            throw .noWebSocket
        }
        let host = address.contains(":") ? "[\(address)]" : address
        let options = ["listening_ports", "\(host):\(port)", "num_threads", String(workers),
                       "request_timeout_ms", "10000", "websocket_timeout_ms", "3600000", "enable_keep_alive", "no"]
        var cStrings = options.map { strdup($0) }
        cStrings.append(nil)
        defer { for p in cStrings { free(p) } }
        var serverCallbacks = mg_callbacks()          // none: no log file is set, so civetweb prints nothing
        let me = Unmanaged.passUnretained(self).toOpaque()
        let started = cStrings.withUnsafeMutableBufferPointer { options in
            options.baseAddress!.withMemoryRebound(to: UnsafePointer<CChar>?.self, capacity: options.count) {
                mg_start(&serverCallbacks, me, $0)
            }
        }
        guard let started else { throw .cannotListen(address: address, port: port) }
        context = started
        var ports = [mg_server_port](repeating: mg_server_port(), count: 4)
        let n = mg_get_server_ports(started, Int32(ports.count), &ports)
        self.port = n > 0 ? Int(ports[0].port) : port
        callbacks.initialize(to: ottt_web_callbacks(request: { conn, data in
            guard let conn, let data else { return 0 }
            return Unmanaged<WebServer>.fromOpaque(data).takeUnretainedValue().handle(conn)
        }, connect: { conn, data in
            guard let conn, let data else { return 1 }
            let server = Unmanaged<WebServer>.fromOpaque(data).takeUnretainedValue()
            return server.handler.acceptSocket(WebServer.request(conn, body: [])) ? 0 : 1
        }, ready: { conn, data in
            guard let conn, let data else { return }
            Unmanaged<WebServer>.fromOpaque(data).takeUnretainedValue().opened(conn)
        }, close: { conn, data in
            guard let conn, let data else { return }
            Unmanaged<WebServer>.fromOpaque(data).takeUnretainedValue().closed(conn)
        }, data: me))
        ottt_web_set_handlers(started, "/", "/stream", callbacks)
    }

    deinit {
        stop()
        callbacks.deallocate()
    }

    /// Closes every connection and stops the worker threads.
    public func stop() {
        lock.lock()
        let c = context
        context = nil
        lock.unlock()
        if let c { mg_stop(c) }
    }

    /// The sockets open now.
    public var openSockets: Int { lock.lock(); defer { lock.unlock() }; return sockets.count }

    // MARK: civetweb's callbacks

    private func handle(_ conn: OpaquePointer) -> Int32 {
        let info = mg_get_request_info(conn)
        var body: [UInt8] = []
        let length = info.map { Int($0.pointee.content_length) } ?? 0
        if length > WebServer.maxBody {
            write(WebResponse(status: 413, text: "request too large\n"), to: conn)
            return 413
        }
        if length > 0 {
            body = [UInt8](repeating: 0, count: length)
            var got = 0
            while got < length {
                let n = body.withUnsafeMutableBytes { mg_read(conn, $0.baseAddress! + got, length - got) }
                if n <= 0 { break }
                got += Int(n)
            }
            body.removeSubrange(got...)
        }
        let response = handler.respond(to: WebServer.request(conn, body: body))
        write(response, to: conn)
        return Int32(response.status)
    }

    private func write(_ response: WebResponse, to conn: OpaquePointer) {
        var head = "HTTP/1.1 \(response.status) \(WebResponse.reason(response.status))\r\n"
        head += "Content-Type: \(response.contentType)\r\nContent-Length: \(response.body.count)\r\n"
        for (name, value) in WebResponse.securityHeaders + response.headers { head += "\(name): \(value)\r\n" }
        head += "Connection: close\r\n\r\n"
        var bytes = Array(head.utf8)
        bytes += response.body
        _ = bytes.withUnsafeBytes { mg_write(conn, $0.baseAddress, $0.count) }
    }

    private func opened(_ conn: OpaquePointer) {
        let socket = WebSocket(connection: conn)
        lock.lock(); sockets[conn] = socket; lock.unlock()
        handler.socketOpened(socket)
    }

    private func closed(_ conn: OpaquePointer) {
        lock.lock(); let socket = sockets.removeValue(forKey: conn); lock.unlock()
        guard let socket else { return }
        socket.markClosed()
        handler.socketClosed(socket)
    }

    /// The headers the view reads (civetweb keeps up to 64; copying its array would need the 64-tuple's type
    /// metadata built on civetweb's small worker stack).
    static let headerNames = ["host", "origin", "x-ottt-token", "x-ottt-control", "content-type"]

    /// The request's method, path, query and the headers the view reads, as Swift values.
    private static func request(_ conn: OpaquePointer, body: [UInt8]) -> WebRequest {
        guard let info = mg_get_request_info(conn) else { return WebRequest(method: "", path: "") }
        var headers: [String: String] = [:]
        for name in headerNames {
            if let value = mg_get_header(conn, name) { headers[name] = String(cString: value) }
        }
        let method = info.pointee.request_method.map { String(cString: $0) } ?? ""
        let path = info.pointee.local_uri.map { String(cString: $0) } ?? "/"
        let query = info.pointee.query_string.map { WebRequest.formFields(String(cString: $0)) } ?? [:]
        return WebRequest(method: method, path: path, query: query, headers: headers, body: body)
    }
}

/// One open WebSocket. `send` may be called from any one thread at a time; it blocks while the client's socket
/// is full (the caller is a per-client sender, never the learner) and returns false once the socket is closed.
public final class WebSocket: @unchecked Sendable {
    // @unchecked: `connection` is used only until `closed` is set (guarded by `lock`), and civetweb locks the
    // connection for each write.
    private let connection: OpaquePointer
    private let lock = NSLock()
    private var closed = false
    private var writing = false

    init(connection: OpaquePointer) { self.connection = connection }

    /// Sends one binary message.
    public func send(binary bytes: [UInt8]) -> Bool { send(bytes, opcode: Int32(MG_WEBSOCKET_OPCODE_BINARY)) }
    /// Sends one text message.
    public func send(text: String) -> Bool { send(Array(text.utf8), opcode: Int32(MG_WEBSOCKET_OPCODE_TEXT)) }

    private func send(_ bytes: [UInt8], opcode: Int32) -> Bool {
        lock.lock()
        if closed { lock.unlock(); return false }
        writing = true
        lock.unlock()
        let n = bytes.withUnsafeBytes { raw in
            mg_websocket_write(connection, opcode, raw.baseAddress?.assumingMemoryBound(to: CChar.self), raw.count)
        }
        lock.lock(); writing = false; lock.unlock()
        return n > 0
    }

    /// civetweb is about to free the connection: wait for a write in progress, refuse later ones.
    func markClosed() {
        while true {
            lock.lock()
            closed = true
            let busy = writing
            lock.unlock()
            if !busy { return }
            usleep(1000)
        }
    }
}
