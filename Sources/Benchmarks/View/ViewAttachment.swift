import DVSEvents
import Foundation
import Pipeline
import SNN
import WebView

/// A benchmark's learner shown in the browser view: a `LiveView` served on `address:port` with `clients` readers
/// attached (`ViewReader`s: WebSocket clients that read and count every message, as a browser that keeps up
/// would, without drawing). The learner's thread calls `observe` after each step, as `--web` does; the stream's
/// events go to `canvas` (in a live session, on the reader thread). `detach` closes the readers and the server.
final class ViewAttachment {
    let view: LiveView
    private(set) var readers: [ViewReader] = []
    private let status: PipelineStatus

    /// Serves the view and connects `clients` readers, waiting (up to `timeout` seconds) until the view counts
    /// them all and each has its greeting.
    init(spec: NetworkSpec, rate: Int, address: String, port: Int, clients: Int, timeout: Double = 20) throws {
        var c = LiveView.Configuration(sensor: .dvs128, input: spec.input, classNames: (0..<spec.classes).map(String.init),
                                       title: "ottt bench latency")
        c.address = address
        c.port = port
        view = try LiveView(c)
        var s = PipelineStatus()
        s.eventRate = Double(rate)
        s.learning = true
        status = s
        let host = ViewAttachment.clientHost(address)
        do {
            for _ in 0..<clients { readers.append(try ViewReader(host: host, port: view.port, token: view.access.token)) }
            let deadline = Clocks.wall() + timeout
            while view.clientCounts.count < clients || readers.contains(where: { $0.messages == 0 }) {
                guard Clocks.wall() < deadline else {
                    throw BenchmarkFailure("the view counted \(view.clientCounts.count) of \(clients) clients after \(timeout) s")
                }
                usleep(5_000)
            }
        } catch {
            detach()
            throw error
        }
    }

    deinit { detach() }

    /// The address a client on this machine connects to for a server bound to `address` (any address: loopback).
    static func clientHost(_ address: String) -> String {
        switch address {
        case "0.0.0.0", "": "127.0.0.1"
        case "::": "::1"
        default: address
        }
    }

    var canvas: EventCanvas { view.canvas }

    /// Hands the view one step (on the learner's thread).
    func observe(_ frame: BinnedFrame, _ prediction: Prediction) { view.observe(frame, prediction, status) }

    /// Messages each reader received so far.
    var messages: [Int] { readers.map(\.messages) }

    /// Messages the view replaced before a client took them, over the clients connected now.
    var drops: Int { view.clientCounts.reduce(0) { $0 + $1.dropped } }

    /// Closes the readers, then the server.
    func detach() {
        for r in readers { r.close() }
        readers = []
        view.stop()
    }
}
