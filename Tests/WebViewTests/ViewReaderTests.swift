import DVSEvents
import Foundation
import Pipeline
import Testing
@testable import WebView

@Suite("ViewReader", .serialized)
struct ViewReaderTests {
    static func waitFor(_ seconds: Double = 10, _ condition: () -> Bool) -> Bool {
        let end = Date().addingTimeInterval(seconds)
        while Date() < end {
            if condition() { return true }
            usleep(10_000)
        }
        return condition()
    }

    @Test("reads the greeting and the frames, and its closing is seen by the view")
    func reads() throws {
        let view = try LiveViewTests.view()
        defer { view.stop() }
        let reader = try ViewReader(host: "127.0.0.1", port: view.port)
        #expect(Self.waitFor { view.clientCounts.count == 1 && reader.messages >= 1 })
        LiveViewTests.step(view, step: 1, label: nil)
        #expect(Self.waitFor { reader.messages >= 3 })
        #expect(reader.bytes > ViewMessage.headerSize && !reader.isClosedByServer)
        let seen = reader.messages
        reader.close()
        #expect(reader.messages == seen)
        #expect(Self.waitFor { view.clientCounts.isEmpty })
    }

    @Test("sees the server close the connection")
    func serverCloses() throws {
        let view = try LiveViewTests.view()
        let reader = try ViewReader(host: "127.0.0.1", port: view.port)
        #expect(Self.waitFor { reader.messages >= 1 })
        view.stop()
        #expect(Self.waitFor { reader.isClosedByServer })
        reader.close()
    }

    @Test("a refused socket or no server throws, naming the URL")
    func refused() throws {
        let view = try LiveViewTests.view(address: "127.0.0.2")
        let port = view.port
        #expect(throws: WebServerError.self) { try ViewReader(host: "127.0.0.2", port: port) }
        let admitted = try ViewReader(host: "127.0.0.2", port: port, token: view.access.token)
        #expect(Self.waitFor { admitted.messages >= 1 })
        admitted.close()
        view.stop()
        do {
            _ = try ViewReader(host: "127.0.0.2", port: port)
            Issue.record("connected to a stopped server")
        } catch {
            #expect("\(error)".contains("ws://127.0.0.2:\(port)/stream"))
        }
    }
}
