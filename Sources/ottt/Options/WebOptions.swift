/// `--web [ADDR:]PORT` on `live`, `replay` and `demo`: serve the session's live view in a browser. The address is
/// 127.0.0.1 unless one is given; any other needs the token that the command prints in the URL.
struct WebOptions: Equatable {
    static let usage = """
      --web [ADDR:]PORT     serve a live view of the session in the browser on PORT (0: any free port), on
                            127.0.0.1 unless ADDR is given (another address prints a URL with a token, needed
                            for every request); teach by clicking a class, switch learning, reset, pause
    """

    var address: String
    var port: Int

    /// Parses `8080`, `0.0.0.0:8080`, `localhost:8080` or `[::1]:8080`.
    init(parsing text: String) throws {
        var host = "127.0.0.1"
        var portText = Substring(text)
        if text.hasPrefix("[") {
            guard let close = text.firstIndex(of: "]"), text[text.index(after: close)...].hasPrefix(":") else {
                throw UsageError("--web: expected [ADDR]:PORT for an IPv6 address, not '\(text)'")
            }
            host = String(text[text.index(after: text.startIndex)..<close])
            portText = text[text.index(close, offsetBy: 2)...]
        } else if let colon = text.lastIndex(of: ":") {
            host = String(text[..<colon])
            portText = text[text.index(after: colon)...]
        }
        guard let port = Int(portText), (0...65_535).contains(port) else {
            throw UsageError("--web: a port 0–65535 (optionally ADDR:PORT), not '\(text)'")
        }
        guard !host.isEmpty, host.allSatisfy({ $0.isLetter || $0.isNumber || ".:-".contains($0) }) else {
            throw UsageError("--web: '\(host)' is not an address")
        }
        address = host == "localhost" ? "127.0.0.1" : host
        self.port = port
    }

    /// `--web` if given.
    static func parse(_ a: inout Arguments) throws -> WebOptions? {
        try a.option("web").map { try WebOptions(parsing: $0) }
    }
}
