import DVSEvents
import Foundation
import Pipeline
import Tensors

/// The browser view of a learning session: one page (HTML, script and style embedded in the binary), a WebSocket
/// `/stream` that sends every browser the newest events, network input, prediction and status about 30 times a
/// second as one binary message (`ViewMessage`), `GET /state.json` with the latest prediction object (the `--json`
/// schema), and `POST /control` for the teacher's controls, which act on the session's `LabelBoard` as the
/// terminal's keys do. Nothing else is served.
///
/// The learner's thread only stores the newest prediction (`observe`); a sender thread makes the messages and
/// posts them to each browser's one-message mailbox, so a slow browser never slows the learner or grows memory.
public final class LiveView: WebHandler, @unchecked Sendable {
    // @unchecked: the mutable state below is guarded by `lock`; `server` is set once in init.
    public struct Configuration: Sendable {
        public var address = "127.0.0.1"
        public var port = 8080
        public var sensor: SensorSize
        /// The network input [C, H, W].
        public var input: [Int]
        /// One name per class (the network's classes; unnamed ones by number).
        public var classNames: [String]
        public var title: String
        public var framesPerSecond = 30.0
        /// The token to require (nil: a new one when the address is not loopback).
        public var token: String?

        public init(sensor: SensorSize, input: [Int], classNames: [String], title: String) {
            self.sensor = sensor
            self.input = input
            self.classNames = classNames
            self.title = title
        }
    }

    public let configuration: Configuration
    public let access: ViewAccess
    public let canvas: EventCanvas
    private var server: WebServer?
    private let page: [UInt8]
    private let lock = NSLock()
    private var latest: (frame: [Float], prediction: Prediction, status: PipelineStatus)?
    private var lastLabel: Int??
    private var labelChanges: [(step: Int, label: Int?)] = []
    private var board: LabelBoard?
    private var title: String
    private var clients: [ObjectIdentifier: ViewClient] = [:]
    private var running = true
    private var sender: Thread?

    /// Starts serving; `canvas` is where a tapped source already draws its events (nil: a new one).
    public init(_ configuration: Configuration, canvas: EventCanvas? = nil) throws(WebServerError) {
        self.configuration = configuration
        access = ViewAccess(address: configuration.address, token: configuration.token)
        self.canvas = canvas ?? EventCanvas(sensor: configuration.sensor)
        title = configuration.title
        page = ViewPage.html(nonce: ViewAccess.newToken())
        server = try WebServer(address: configuration.address, port: configuration.port, handler: self)
        let t = Thread { [self] in ViewThreads.lowerPriority(); sendLoop() }
        t.name = "ottt-web-sender"
        sender = t
        t.start()
    }

    deinit { stop() }

    /// The page's address, with the token when one is needed.
    public var url: String {
        let host = configuration.address.contains(":") ? "[\(configuration.address)]" : configuration.address
        return "http://\(host):\(port)/" + (access.token.map { "?token=\($0)" } ?? "")
    }

    /// The port bound.
    public var port: Int { server?.port ?? configuration.port }

    /// `source` with its events shown on the view's canvas.
    public func tap(_ source: any EventSource) -> any EventSource { EventTap(source, canvas: canvas) }

    /// The teaching board the controls act on (nil: labels come from a file or a journal) and the title shown.
    public func attach(board: LabelBoard?, title: String) {
        lock.lock(); self.board = board; self.title = title; lock.unlock()
    }

    /// Stores the newest step (on the learner's thread: a copy under a lock, nothing more).
    public func observe(_ frame: BinnedFrame, _ prediction: Prediction, _ status: PipelineStatus) {
        lock.lock(); defer { lock.unlock() }
        latest = (frame.values, prediction, status)
        if lastLabel == nil || lastLabel! != prediction.label {
            if labelChanges.count == 256 { labelChanges.removeFirst() }
            labelChanges.append((prediction.step, prediction.label))
            lastLabel = .some(prediction.label)
        }
    }

    /// Messages sent and replaced before sending, per browser connected now.
    public var clientCounts: [(sent: Int, dropped: Int)] {
        lock.lock(); let all = Array(clients.values); lock.unlock()
        return all.map(\.counts)
    }

    /// Stops sending, closes every browser's connection and the server.
    public func stop() {
        lock.lock(); running = false; lock.unlock()
        while let t = sender, !t.isFinished { usleep(1000) }
        server?.stop()
        server = nil
    }

    // MARK: Requests

    public func respond(to request: WebRequest) -> WebResponse {
        guard access.admits(request) else { return WebResponse(status: 403, text: "a token is needed: use the URL ottt printed\n") }
        switch (request.path, request.method) {
        case ("/", "GET"), ("/index.html", "GET"):
            return WebResponse(status: 200, contentType: "text/html; charset=utf-8", body: page,
                               headers: [("Content-Security-Policy", ViewPage.contentSecurityPolicy(page))])
        case ("/state.json", "GET"):
            lock.lock(); let l = latest; lock.unlock()
            guard let l else { return WebResponse(status: 200, contentType: "application/json", body: Array("null\n".utf8)) }
            let json = PredictionRecord.json(l.prediction, l.status, names: configuration.classNames) + "\n"
            return WebResponse(status: 200, contentType: "application/json", body: Array(json.utf8))
        case ("/control", "POST"):
            return control(request)
        case ("/", _), ("/index.html", _), ("/state.json", _), ("/control", _):
            return WebResponse(status: 405, text: "method not allowed\n")
        default:
            return WebResponse(status: 404, text: "not found\n")
        }
    }

    private func control(_ request: WebRequest) -> WebResponse {
        guard access.allowsControl(request) else {
            return WebResponse(status: 403, text: "controls are POSTs with the X-Ottt-Control header (and the token)\n")
        }
        let control: ViewControl
        do { control = try ViewControl(form: String(decoding: request.body, as: UTF8.self), classes: configuration.classNames.count) } catch {
            return WebResponse(status: 400, text: "\(error)\n")
        }
        lock.lock(); let board = self.board; lock.unlock()
        guard let board else { return WebResponse(status: 409, text: "the labels come from a file or a journal: no teaching here\n") }
        control.apply(to: board)
        return WebResponse(status: 204, contentType: "text/plain", body: [])
    }

    public func acceptSocket(_ request: WebRequest) -> Bool { access.admits(request) }

    public func socketOpened(_ socket: WebSocket) {
        let client = ViewClient(socket: socket, hello: hello())
        lock.lock(); clients[ObjectIdentifier(socket)] = client; lock.unlock()
    }

    public func socketClosed(_ socket: WebSocket) {
        lock.lock(); let client = clients.removeValue(forKey: ObjectIdentifier(socket)); lock.unlock()
        client?.stop()
    }

    private func hello() -> String {
        let c = configuration
        return "{\"hello\":{\"classes\":[" + c.classNames.map(jsonQuoted).joined(separator: ",") + "],"
            + "\"sensor\":[\(c.sensor.width),\(c.sensor.height)],\"input\":[" + c.input.map(String.init).joined(separator: ",")
            + "],\"fps\":\(c.framesPerSecond)}}"
    }

    // MARK: Sending

    private func sendLoop() {
        let period = 1 / configuration.framesPerSecond
        var last = Date()
        while true {
            lock.lock(); let go = running; lock.unlock()
            guard go else { return }
            let next = last.addingTimeInterval(period)
            let wait = next.timeIntervalSinceNow
            if wait > 0 { usleep(UInt32(wait * 1e6)) }
            let now = Date()
            let seconds = Float(now.timeIntervalSince(last))
            last = now
            lock.lock()
            let targets = Array(clients.values)
            let l = latest
            let changes = labelChanges
            let board = self.board
            let title = self.title
            lock.unlock()
            if let end = l?.prediction.end { canvas.advance(to: end) }
            let (marks, events) = canvas.take()
            if targets.isEmpty { continue }
            let dropped = targets.reduce(0) { $0 + $1.counts.dropped }
            var view = "\"title\":\(jsonQuoted(title)),\"teachable\":\(board != nil),\"clients\":\(targets.count),"
                + "\"client_drops\":\(dropped),\"events_seen\":\(canvas.total),"
                + "\"label_changes\":[" + changes.map { "[\($0.step),\($0.label.map(String.init) ?? "null")]" }.joined(separator: ",") + "]"
            if let board {
                view += ",\"taught\":\(board.taught.map(String.init) ?? "null"),\"learning_on\":\(board.isLearningOn)"
            }
            let prediction = l.map { PredictionRecord.json($0.prediction, $0.status, names: configuration.classNames) } ?? "null"
            let message = ViewMessage.encode(sensor: configuration.sensor, marks: marks, events: events, seconds: seconds,
                                             input: l?.frame ?? [], shape: configuration.input,
                                             json: "{\"prediction\":\(prediction),\"view\":{\(view)}}")
            for client in targets { client.post(message) }
        }
    }
}
