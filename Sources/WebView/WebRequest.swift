/// One HTTP request as the view's handler sees it: typed values copied out of civetweb's request.
public struct WebRequest: Sendable, Equatable {
    public var method: String
    /// The path without the query, e.g. `/state.json`.
    public var path: String
    /// Query parameters, URL-decoded (the last of repeated names wins).
    public var query: [String: String]
    /// Header names lower-cased.
    public var headers: [String: String]
    /// The body (at most `WebServer.maxBody` bytes are read).
    public var body: [UInt8]

    public init(method: String, path: String, query: [String: String] = [:], headers: [String: String] = [:],
                body: [UInt8] = []) {
        self.method = method
        self.path = path
        self.query = query
        self.headers = headers
        self.body = body
    }

    /// `a=1&b=two%20words` as a dictionary, `+` as a space.
    public static func formFields(_ text: String) -> [String: String] {
        var fields: [String: String] = [:]
        for pair in text.split(separator: "&") where !pair.isEmpty {
            let parts = pair.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false)
            let name = percentDecoded(String(parts[0]))
            fields[name] = parts.count > 1 ? percentDecoded(String(parts[1])) : ""
        }
        return fields
    }

    static func percentDecoded(_ s: String) -> String {
        var bytes: [UInt8] = []
        var i = s.utf8.startIndex
        let u = s.utf8
        while i < u.endIndex {
            let c = u[i]
            if c == UInt8(ascii: "+") {
                bytes.append(UInt8(ascii: " "))
            } else if c == UInt8(ascii: "%"), let h = u.index(i, offsetBy: 2, limitedBy: u.index(before: u.endIndex)),
                      let v = UInt8(String(decoding: u[u.index(after: i)...h], as: UTF8.self), radix: 16) {
                bytes.append(v)
                i = h
            } else {
                bytes.append(c)
            }
            i = u.index(after: i)
        }
        return String(decoding: bytes, as: UTF8.self)
    }
}

/// What the handler answers.
public struct WebResponse: Sendable, Equatable {
    public var status: Int
    public var contentType: String
    public var body: [UInt8]
    /// Headers besides the content type and length and the ones every response carries.
    public var headers: [(String, String)]

    public init(status: Int, contentType: String, body: [UInt8], headers: [(String, String)] = []) {
        self.status = status
        self.contentType = contentType
        self.body = body
        self.headers = headers
    }

    public init(status: Int, text: String) {
        self.init(status: status, contentType: "text/plain; charset=utf-8", body: Array(text.utf8))
    }

    public static func == (a: WebResponse, b: WebResponse) -> Bool {
        a.status == b.status && a.contentType == b.contentType && a.body == b.body
            && a.headers.map { $0.0 + ":" + $0.1 } == b.headers.map { $0.0 + ":" + $0.1 }
    }

    /// What every response carries: no framing by other sites, no type sniffing, no caching, no referrer (the URL
    /// may hold the token).
    static let securityHeaders: [(String, String)] = [
        ("X-Frame-Options", "DENY"),
        ("X-Content-Type-Options", "nosniff"),
        ("Referrer-Policy", "no-referrer"),
        ("Cache-Control", "no-store"),
        ("Cross-Origin-Resource-Policy", "same-origin"),
    ]

    static func reason(_ status: Int) -> String {
        switch status {
        case 200: "OK"
        case 204: "No Content"
        case 400: "Bad Request"
        case 403: "Forbidden"
        case 404: "Not Found"
        case 405: "Method Not Allowed"
        case 409: "Conflict"
        case 413: "Payload Too Large"
        default: "Status"
        }
    }
}
