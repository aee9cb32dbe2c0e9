import Foundation

/// Decoded events as four Int64 columns, the shape of the fixtures' `.summary.json` statistics and digests
/// (`../shared/recordings/tools/decode_fixtures.py`: `stats` and `digests`).
public struct DecodedColumns: Equatable {
    public var t: [Int64] = []
    public var x: [Int64] = []
    public var y: [Int64] = []
    public var p: [Int64] = []

    public init() {}

    public init(t: [Int64], x: [Int64], y: [Int64], p: [Int64]) {
        (self.t, self.x, self.y, self.p) = (t, x, y, p)
    }

    public var count: Int { t.count }

    /// The first 16 hex digits of SHA-256 of a column as little-endian int64 (the fixtures' digest).
    public static func digest(_ column: [Int64]) -> String {
        var sha = SHA256()
        var bytes = [UInt8]()
        bytes.reserveCapacity(column.count * 8)
        for v in column { withUnsafeBytes(of: v.littleEndian) { bytes.append(contentsOf: $0) } }
        sha.update(bytes)
        return String(sha.finalize().map { ($0 < 16 ? "0" : "") + String($0, radix: 16) }.joined().prefix(16))
    }

    public var digests: [String: String] {
        ["t": Self.digest(t), "x": Self.digest(x), "y": Self.digest(y), "p": Self.digest(p)]
    }

    /// The statistics `decode_fixtures.py` writes (events, t range, decreases, x/y ranges, ON/OFF counts).
    public var stats: [String: Int64] {
        var decreases: Int64 = 0
        for i in t.indices.dropFirst() where t[i] < t[i - 1] { decreases += 1 }
        let on = Int64(p.filter { $0 != 0 }.count)
        return [
            "events": Int64(count),
            "t_first": t.first ?? 0, "t_last": t.last ?? 0, "t_min": t.min() ?? 0, "t_max": t.max() ?? 0,
            "t_decreases": decreases,
            "x_min": x.min() ?? 0, "x_max": x.max() ?? 0, "y_min": y.min() ?? 0, "y_max": y.max() ?? 0,
            "p_on_count": on, "p_off_count": Int64(count) - on,
        ]
    }

    /// Reads integer columns of a CSV file with a header line, by column name.
    public static func csv(path: String, columns: (t: String, x: String, y: String, p: String) = ("t", "x", "y", "p"))
        throws -> DecodedColumns
    {
        let text = try String(contentsOfFile: path, encoding: .utf8)
        var lines = text.split(whereSeparator: \.isNewline).makeIterator()
        guard let head = lines.next() else { return DecodedColumns() }
        let names = head.split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) }
        func index(_ n: String) throws -> Int {
            guard let i = names.firstIndex(of: n) else { throw CSVColumnMissing(name: n, path: path) }
            return i
        }
        let (it, ix, iy, ip) = (try index(columns.t), try index(columns.x), try index(columns.y), try index(columns.p))
        var out = DecodedColumns()
        while let line = lines.next() {
            let f = line.split(separator: ",", omittingEmptySubsequences: false)
            out.t.append(Int64(f[it])!)
            out.x.append(Int64(f[ix])!)
            out.y.append(Int64(f[iy])!)
            out.p.append(Int64(f[ip])!)
        }
        return out
    }

    /// The first `n` rows.
    public func prefix(_ n: Int) -> DecodedColumns {
        DecodedColumns(t: Array(t.prefix(n)), x: Array(x.prefix(n)), y: Array(y.prefix(n)), p: Array(p.prefix(n)))
    }

    /// The first row where `self` and `other` differ, described, or nil when they are equal.
    public func firstDifference(from other: DecodedColumns) -> String? {
        if count != other.count { return "counts differ: \(count) vs \(other.count)" }
        for i in 0..<count where t[i] != other.t[i] || x[i] != other.x[i] || y[i] != other.y[i] || p[i] != other.p[i] {
            return "row \(i): (\(t[i]), \(x[i]), \(y[i]), \(p[i])) vs (\(other.t[i]), \(other.x[i]), \(other.y[i]), \(other.p[i]))"
        }
        return nil
    }
}

public struct CSVColumnMissing: Error, CustomStringConvertible {
    public var name: String
    public var path: String
    public var description: String { "no column '\(name)' in \(path)" }
}

/// A fixture's `.summary.json`, read loosely.
public struct FixtureSummary {
    public let json: [String: Any]

    public init(path: String) throws {
        let data = try Data(contentsOf: URL(fileURLWithPath: path))
        json = (try JSONSerialization.jsonObject(with: data)) as? [String: Any] ?? [:]
    }

    /// Integer statistics under `key` (e.g. "events_track_stats").
    public func stats(_ key: String) -> [String: Int64] {
        (json[key] as? [String: Any] ?? [:]).compactMapValues { ($0 as? NSNumber)?.int64Value }
    }

    /// Digests under `key` (e.g. "sha256_16_of_int64_fields").
    public func digests(_ key: String) -> [String: String] {
        json[key] as? [String: String] ?? [:]
    }
}
