import Foundation

/// The machine's load averages over 1, 5 and 15 minutes (/proc/loadavg): printed beside every view figure, since
/// the figures mean little on a loaded machine.
public struct LoadAverage: Codable, Equatable, Sendable {
    public var one: Double, five: Double, fifteen: Double

    public init(one: Double, five: Double, fifteen: Double) {
        self.one = one
        self.five = five
        self.fifteen = fifteen
    }

    /// Parses `0.52 0.58 0.59 1/467 12345`; nil when the first three words are not numbers.
    public init?(text: String) {
        let words = text.split(whereSeparator: { $0 == " " || $0 == "\n" }).prefix(3).compactMap { Double($0) }
        guard words.count == 3 else { return nil }
        self.init(one: words[0], five: words[1], fifteen: words[2])
    }

    /// Now; nil where /proc is not mounted.
    public static func current() -> LoadAverage? {
        (try? String(contentsOfFile: "/proc/loadavg", encoding: .utf8)).flatMap(LoadAverage.init(text:))
    }

    public var line: String { String(format: "load %.2f %.2f %.2f", one, five, fifteen) }
}
