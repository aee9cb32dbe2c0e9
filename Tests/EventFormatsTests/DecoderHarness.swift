import DVSEvents
@testable import EventFormats

/// Runs a `RecordDecoder` over bytes in memory, as the reader does, but in pieces of `piece` records so that state
/// carried between calls is exercised.
func decodeAll<D: RecordDecoder>(_ decoder: inout D, _ bytes: [UInt8], piece: Int = .max) -> [Event] {
    let out = EventBuffer()
    var start = 0
    let size = D.recordSize
    let records = bytes.count / size
    bytes.withUnsafeBytes { raw in
        while start < records {
            let count = min(piece, records - start)
            var used = 0
            out.appendUnsafe(maxCount: 64) { t, x, y, p in
                let r = decoder.decode(raw.baseAddress! + start * size, records: count, offset: Int64(start * size),
                                       into: EventColumns(t: t, x: x, y: y, p: p), capacity: 64)
                used = r.records
                return r.events
            }
            start += used
        }
    }
    return out.events
}

/// EVT 3.0 words, named as in the format description.
enum W3 {
    static func timeHigh(_ v: UInt16) -> UInt16 { 0x8000 | v }
    static func timeLow(_ v: UInt16) -> UInt16 { 0x6000 | v }
    static func y(_ y: UInt16, master: Bool = false) -> UInt16 { (master ? 0x0800 : 0) | y }
    static func x(_ x: UInt16, on: Bool = false) -> UInt16 { 0x2000 | (on ? 0x0800 : 0) | x }
    static func base(_ x: UInt16, on: Bool = false) -> UInt16 { 0x3000 | (on ? 0x0800 : 0) | x }
    static func vect12(_ m: UInt16) -> UInt16 { 0x4000 | (m & 0xFFF) }
    static func vect8(_ m: UInt16) -> UInt16 { 0x5000 | (m & 0xFF) }
    static func trigger(_ id: UInt16, _ value: Bool) -> UInt16 { 0xA000 | id << 8 | (value ? 1 : 0) }
    static func bytes(_ words: [UInt16]) -> [UInt8] { words.flatMap { [UInt8($0 & 0xFF), UInt8($0 >> 8)] } }
}

/// EVT 2.0 words.
enum W2 {
    static func timeHigh(_ t: Int64) -> UInt32 { 0x8000_0000 | UInt32(t >> 6) }
    static func cd(_ t: Int64, _ x: UInt32, _ y: UInt32, on: Bool) -> UInt32 {
        (on ? 1 : 0) << 28 | UInt32(t & 0x3F) << 22 | x << 11 | y
    }
    static func bytes(_ words: [UInt32]) -> [UInt8] { words.flatMap { w in (0..<4).map { UInt8(truncatingIfNeeded: w >> (8 * $0)) } } }
}

func ev(_ t: Int64, _ x: UInt16, _ y: UInt16, _ p: Int) -> Event { Event(t: t, x: x, y: y, on: p == 1) }
