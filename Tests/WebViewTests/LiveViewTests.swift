import DVSEvents
import Foundation
import Pipeline
import Testing
@testable import WebView

@Suite("LiveView", .serialized)
struct LiveViewTests {
    static func view(address: String = "127.0.0.1") throws -> LiveView {
        var c = LiveView.Configuration(sensor: SensorSize(width: 8, height: 4), input: [2, 4, 4],
                                       classNames: ["zero", "one", "two"], title: "test")
        c.address = address
        c.port = 0
        return try LiveView(c)
    }

    static func step(_ view: LiveView, step: Int, label: Int?) {
        let frame = BinnedFrame(bins: step...step, start: Int64(step) * 10_000, end: Int64(step + 1) * 10_000, events: 5,
                                values: [Float](repeating: 1, count: 32))
        let p = Prediction(step: step, bins: step...step, start: frame.start, end: frame.end, events: 5, scores: [0, 2, 1],
                           predicted: 1, label: label, loss: nil, reset: false, spikeRates: [0.1, 0.2])
        view.observe(frame, p, PipelineStatus())
    }

    @Test("serves the page with headers against framing and sniffing, and nothing else")
    func page() throws {
        let view = try Self.view()
        defer { view.stop() }
        let base = "http://127.0.0.1:\(view.port)"
        let page = try #require(HTTPReply.get(base + "/"))
        #expect(page.status == 200)
        #expect(page.body.contains("<canvas id=\"events\""))
        #expect(page.headers["x-frame-options"] == "DENY")
        #expect(page.headers["x-content-type-options"] == "nosniff")
        #expect(page.headers["content-security-policy"]?.contains("frame-ancestors 'none'") == true)
        #expect(!page.body.contains("NONCE"))
        #expect(HTTPReply.get(base + "/etc/passwd")?.status == 404)
        #expect(HTTPReply.get(base + "/../Package.swift")?.status == 404)
        #expect(HTTPReply.post(base + "/", body: "x")?.status == 405)
    }

    @Test("/state.json is the latest prediction object, as --json prints it")
    func state() throws {
        let view = try Self.view()
        defer { view.stop() }
        let url = "http://127.0.0.1:\(view.port)/state.json"
        #expect(HTTPReply.get(url)?.body == "null\n")
        Self.step(view, step: 7, label: 2)
        let body = try #require(HTTPReply.get(url)?.body)
        let object = try #require(try JSONSerialization.jsonObject(with: Data(body.utf8)) as? [String: Any])
        #expect(object["step"] as? Int == 7)
        #expect(object["name"] as? String == "one")
        #expect(object["label"] as? Int == 2)
        #expect((object["probabilities"] as? [Double])?.count == 3)
    }

    @Test("controls are POSTs with the control header, and act on the board")
    func controls() throws {
        let view = try Self.view()
        defer { view.stop() }
        let url = "http://127.0.0.1:\(view.port)/control"
        let header = ["X-Ottt-Control": "1"]
        #expect(HTTPReply.post(url, body: "label=1", headers: header)?.status == 409)      // no board yet
        let board = LabelBoard()
        view.attach(board: board, title: "taught")
        #expect(HTTPReply.post(url, body: "label=1")?.status == 403)                       // no header: a form of another site
        #expect(HTTPReply.get(url + "?label=1", headers: header)?.status == 405)
        #expect(HTTPReply.post(url, body: "label=1", headers: header)?.status == 204)
        #expect(board.label(at: 0) == 1)
        #expect(HTTPReply.post(url, body: "label=9", headers: header)?.status == 400)
        #expect(HTTPReply.post(url, body: "learning=off", headers: header)?.status == 204)
        #expect(board.label(at: 0) == nil && board.taught == 1)
        #expect(HTTPReply.post(url, body: "learning=on", headers: header)?.status == 204)
        #expect(board.label(at: 0) == 1)
        #expect(HTTPReply.post(url, body: "label=none", headers: header)?.status == 204)
        #expect(board.label(at: 0) == nil)
    }

    @Test("bound beyond loopback, every request needs the token")
    func token() throws {
        let view = try Self.view(address: "127.0.0.2")        // loopback in tests, but not 127.0.0.1
        defer { view.stop() }
        let token = try #require(view.access.token)
        #expect(token.count == 32)
        #expect(view.url.hasSuffix("?token=\(token)"))
        let base = "http://127.0.0.2:\(view.port)"
        #expect(HTTPReply.get(base + "/")?.status == 403)
        #expect(HTTPReply.get(base + "/state.json?token=wrong")?.status == 403)
        #expect(HTTPReply.get(base + "/?token=\(token)")?.status == 200)
        view.attach(board: LabelBoard(), title: "t")
        #expect(HTTPReply.post(base + "/control", body: "reset=1", headers: ["X-Ottt-Control": "1"])?.status == 403)
        #expect(HTTPReply.post(base + "/control?token=\(token)", body: "reset=1", headers: ["X-Ottt-Control": "1"])?.status == 204)
    }
}
