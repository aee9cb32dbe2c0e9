import Foundation

/// Who may use the view: on a loopback address anyone on this machine (the Host header must name loopback too,
/// against DNS rebinding); on any other address only requests carrying the token printed in the URL. Controls
/// are POSTs and carry the `X-Ottt-Control` header, which a page of another site cannot send without asking
/// (a CORS preflight this server never grants).
public struct ViewAccess: Sendable, Equatable {
    public let address: String
    /// Required on every request when not nil.
    public let token: String?

    /// Binds `address`; makes a token when it is not a loopback address.
    public init(address: String, token: String? = nil) {
        self.address = address
        self.token = token ?? (ViewAccess.isLoopback(address) ? nil : ViewAccess.newToken())
    }

    /// This machine's own address: 127.0.0.1, ::1 or localhost (any other, even 127.0.0.2, needs the token).
    public static func isLoopback(_ address: String) -> Bool {
        address == "localhost" || address == "::1" || address == "127.0.0.1"
    }

    /// 128 random bits as 32 hex digits (the system's generator).
    static func newToken() -> String {
        var g = SystemRandomNumberGenerator()
        return (0..<4).map { _ in String(format: "%08x", UInt32.random(in: .min ... .max, using: &g)) }.joined()
    }

    /// Whether `request` may be answered at all.
    public func admits(_ request: WebRequest) -> Bool {
        if let token {
            let given = request.query["token"] ?? request.headers["x-ottt-token"] ?? ""
            return ViewAccess.same(given, token)
        }
        let host = request.headers["host"] ?? ""
        let name = host.hasPrefix("[") ? String(host.dropFirst().prefix { $0 != "]" }) : String(host.prefix { $0 != ":" })
        return ViewAccess.isLoopback(name)
    }

    /// Whether `request` may change the session: admitted, a POST, with the control header.
    public func allowsControl(_ request: WebRequest) -> Bool {
        admits(request) && request.method == "POST" && request.headers["x-ottt-control"] == "1"
    }

    /// Compares without stopping at the first difference.
    static func same(_ a: String, _ b: String) -> Bool {
        let (x, y) = (Array(a.utf8), Array(b.utf8))
        guard x.count == y.count else { return false }
        var d: UInt8 = 0
        for i in x.indices { d |= x[i] ^ y[i] }
        return d == 0
    }
}
