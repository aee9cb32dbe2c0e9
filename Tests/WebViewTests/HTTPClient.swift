import Foundation

/// A request with curl (the tests' HTTP client): status, headers (lower-cased names) and body.
struct HTTPReply {
    var status: Int
    var headers: [String: String]
    var body: String

    static func get(_ url: String, headers: [String: String] = [:]) -> HTTPReply? { curl(["-X", "GET", url], headers) }

    static func post(_ url: String, body: String, headers: [String: String] = [:]) -> HTTPReply? {
        curl(["-X", "POST", "--data-binary", body, url], headers)
    }

    private static func curl(_ arguments: [String], _ headers: [String: String]) -> HTTPReply? {
        let p = Process()
        p.executableURL = URL(fileURLWithPath: "/usr/bin/curl")
        p.arguments = ["-s", "-i", "--max-time", "10"] + headers.flatMap { ["-H", "\($0.key): \($0.value)"] } + arguments
        let out = Pipe()
        p.standardOutput = out
        do { try p.run() } catch { return nil }
        let data = out.fileHandleForReading.readDataToEndOfFile()
        p.waitUntilExit()
        let text = String(decoding: data, as: UTF8.self)
        guard let split = text.range(of: "\r\n\r\n") else { return nil }
        let head = text[..<split.lowerBound].split(separator: "\r\n")
        guard let first = head.first, let status = Int(first.split(separator: " ").dropFirst().first ?? "") else { return nil }
        var fields: [String: String] = [:]
        for line in head.dropFirst() {
            guard let colon = line.firstIndex(of: ":") else { continue }
            fields[line[..<colon].lowercased()] = line[line.index(after: colon)...].trimmingCharacters(in: .whitespaces)
        }
        return HTTPReply(status: status, headers: fields, body: String(text[split.upperBound...]))
    }
}
