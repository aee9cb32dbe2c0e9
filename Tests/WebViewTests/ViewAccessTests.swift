import Testing
@testable import WebView

@Suite("ViewAccess")
struct ViewAccessTests {
    @Test("a loopback bind needs no token but a loopback Host")
    func loopback() {
        let access = ViewAccess(address: "127.0.0.1")
        #expect(access.token == nil)
        #expect(access.admits(WebRequest(method: "GET", path: "/", headers: ["host": "127.0.0.1:8080"])))
        #expect(access.admits(WebRequest(method: "GET", path: "/", headers: ["host": "localhost:8080"])))
        #expect(!access.admits(WebRequest(method: "GET", path: "/", headers: ["host": "evil.example:8080"])))
    }
}
