import DVSCamera
import DVSEvents
import Foundation

/// How fast each camera family's USB words decode into events (the work the USB thread does per transfer), on
/// synthetic transfers in 8 KiB pieces with timestamp wraps, checked against the events they were built from.
public enum USBDecodeBenchmark {
    public struct Options: Sendable {
        /// Events per family.
        public var events = 5_000_000
        /// Runs per family; the best is kept.
        public var runs = 5
        public init() {}
    }

    public struct Result: Codable, Equatable, Sendable {
        public var benchmark = "usb-decode"
        public var family: String
        public var events: Int
        public var bytes: Int
        public var bestSeconds: Double
        public var meventsPerSecond: Double

        enum CodingKeys: String, CodingKey {
            case benchmark, family, events, bytes
            case bestSeconds = "best_seconds", meventsPerSecond = "mevents_per_s"
        }

        public var line: String {
            String(format: "usb-decode %@: %d events from %.1f MB in %.1f ms: %.0f M events/s",
                   family, events, Double(bytes) / 1e6, bestSeconds * 1e3, meventsPerSecond)
        }
    }

    public static func run(_ options: Options, report: (Result) throws -> Void) throws {
        let events = options.events
        let cases: [(String, [[UInt8]], [Event], () -> any EventWordDecoder)] = [
            ("DVS128", dvs128Transfers(events), expectedDVS128(events), { DVS128Decoder() }),
            ("DAVIS346", davisTransfers(events), expectedDAVIS(events),
             { DAVISDecoder(geometry: SensorGeometry(rawWidth: 346, rawHeight: 260)) }),
            ("DVXplorer", dvxTransfers(events), expectedDVX(events),
             { DVXplorerDecoder(geometry: SensorGeometry(rawWidth: 640, rawHeight: 480)) }),
        ]
        for (label, transfers, expected, make) in cases {
            let out = EventBuffer(capacity: events + 16)
            var best = Double.infinity
            for _ in 0..<options.runs {
                out.removeAll()
                var decoder = make()
                let start = Clocks.wall()
                for t in transfers { t.withUnsafeBytes { decoder.decode($0, into: out) } }
                best = min(best, Clocks.wall() - start)
            }
            guard out.count == expected.count, !out.isEmpty,
                  (0..<min(out.count, 100_000)).allSatisfy({ out[$0] == expected[$0] }),
                  out[out.count - 1] == expected[expected.count - 1] else {
                throw BenchmarkFailure("usb-decode: \(label) decoded \(out.count) events, expected \(expected.count), or they differ")
            }
            try report(Result(family: label, events: out.count, bytes: transfers.reduce(0) { $0 + $1.count },
                          bestSeconds: best, meventsPerSecond: Double(out.count) / best / 1e6))
        }
    }

    /// Event i: x, y and polarity from i, one µs apart, so that timestamps wrap many times.
    static func dvs128Transfers(_ n: Int) -> [[UInt8]] {
        var bytes: [UInt8] = []
        bytes.reserveCapacity(n * 4 + n / 0x4000 * 4 + 4)
        var base = 0
        for i in 0..<n {
            while i - base >= 0x4000 { bytes += [0, 0, 0, 0x80]; base += 0x4000 }
            let y = 127 - (i / 128) % 128, x = 127 - i % 128
            let address: Int = y << 8 | x << 1 | (i % 2)
            let t: Int = i - base
            bytes.append(UInt8(address & 0xFF))
            bytes.append(UInt8(address >> 8))
            bytes.append(UInt8(t & 0xFF))
            bytes.append(UInt8(t >> 8))
        }
        return chunked(bytes, 4096)
    }

    static func expectedDVS128(_ n: Int) -> [Event] {
        (0..<n).map { (i: Int) -> Event in
            Event(t: Int64(i), x: UInt16(i % 128), y: UInt16((i / 128) % 128), on: i % 2 == 0)
        }
    }

    /// DAVIS: a timestamp, a row and a column word per event.
    static func davisTransfers(_ n: Int) -> [[UInt8]] {
        var words: [UInt16] = []
        words.reserveCapacity(3 * n + n / 0x8000 + 1)
        var base = 0
        for i in 0..<n {
            while i - base >= 0x8000 { words.append(0x7001); base += 0x8000 }
            let polarityCode: UInt16 = i % 2 == 0 ? 0x3000 : 0x2000
            words.append(0x8000 | UInt16(i - base))
            words.append(0x1000 | UInt16(i % 260))
            words.append(polarityCode | UInt16(i % 346))
        }
        return chunked(littleEndian(words), 8192)
    }

    static func expectedDAVIS(_ n: Int) -> [Event] {
        (0..<n).map { (i: Int) -> Event in
            Event(t: Int64(i), x: UInt16(i % 346), y: UInt16(i % 260), on: i % 2 == 0)
        }
    }

    /// DVXplorer: per 8 events one timestamp, one column, one group word and one full 8-pixel mask.
    static func dvxTransfers(_ n: Int) -> [[UInt8]] {
        var words: [UInt16] = []
        var base = 0
        for g in 0..<(n / 8) {
            while g - base >= 0x8000 { words.append(0x7001); base += 0x8000 }
            words.append(0x8000 | UInt16(g - base))
            words.append(0x1000 | UInt16(g % 640))
            words.append(0x4000 | UInt16(g % 60))
            words.append(0x30FF)
        }
        return chunked(littleEndian(words), 8192)
    }

    static func expectedDVX(_ n: Int) -> [Event] {
        (0..<(n / 8 * 8)).map { i in
            let g = i / 8
            return Event(t: Int64(g), x: UInt16(g % 640), y: UInt16(8 * (g % 60) + i % 8), on: true)
        }
    }

    static func littleEndian(_ words: [UInt16]) -> [UInt8] {
        var bytes: [UInt8] = []
        bytes.reserveCapacity(2 * words.count)
        for w in words {
            bytes.append(UInt8(w & 0xFF))
            bytes.append(UInt8(w >> 8))
        }
        return bytes
    }

    static func chunked(_ bytes: [UInt8], _ size: Int) -> [[UInt8]] {
        stride(from: 0, to: bytes.count, by: size).map { Array(bytes[$0..<min($0 + size, bytes.count)]) }
    }
}
