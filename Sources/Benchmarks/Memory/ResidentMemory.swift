import Foundation

/// The resident memory of a process as Linux reports it in /proc/PID/status: the resident set now (VmRSS), its
/// peak so far (VmHWM) and its anonymous part (RssAnon: heap and stacks, without the pages of mapped code), in bytes.
public struct ResidentMemory: Equatable, Sendable {
    public var resident: Int
    public var peak: Int
    /// nil on kernels before 4.5, which do not split the resident set.
    public var anonymous: Int?

    /// Reads the `VmRSS:`, `VmHWM:` and `RssAnon:` lines (`VmRSS:     12345 kB`) of a status file's text; nil when
    /// VmRSS or VmHWM is missing or not a number of kB.
    public init?(status text: String) {
        var rss: Int?, hwm: Int?, anon: Int?
        for line in text.split(separator: "\n") {
            if line.hasPrefix("VmRSS:") { rss = ResidentMemory.kilobytes(line) }
            else if line.hasPrefix("VmHWM:") { hwm = ResidentMemory.kilobytes(line) }
            else if line.hasPrefix("RssAnon:") { anon = ResidentMemory.kilobytes(line) }
        }
        guard let rss, let hwm else { return nil }
        self.init(resident: rss * 1024, peak: hwm * 1024, anonymous: anon.map { $0 * 1024 })
    }

    public init(resident: Int, peak: Int, anonymous: Int? = nil) {
        self.resident = resident
        self.peak = peak
        self.anonymous = anonymous
    }

    /// This process now; nil where /proc is not mounted (not Linux).
    public static func current() -> ResidentMemory? {
        guard let text = try? String(contentsOfFile: "/proc/self/status", encoding: .utf8) else { return nil }
        return ResidentMemory(status: text)
    }

    /// Resets this process's peak (VmHWM) to its resident memory now, by writing 5 to /proc/self/clear_refs
    /// (Linux 4.0 and later); false where that is not possible.
    @discardableResult
    public static func resetPeak() -> Bool {
        guard let handle = FileHandle(forWritingAtPath: "/proc/self/clear_refs") else { return false }
        defer { try? handle.close() }
        do { try handle.write(contentsOf: Data("5".utf8)) } catch { return false }
        return true
    }

    /// `VmRSS:     12345 kB` → 12345.
    private static func kilobytes(_ line: Substring) -> Int? {
        let words = line.split(whereSeparator: { $0 == " " || $0 == "\t" })
        guard words.count == 3, words[2] == "kB" else { return nil }
        return Int(words[1])
    }
}
