import DVSEvents
@testable import DVSCamera

/// Decodes `transfers` one after another with `decoder` and returns the events.
func decode<D: EventWordDecoder>(_ decoder: inout D, _ transfers: [[UInt8]]) -> [Event] {
    let out = EventBuffer()
    for t in transfers { t.withUnsafeBytes { decoder.decode($0, into: out) } }
    return out.events
}
