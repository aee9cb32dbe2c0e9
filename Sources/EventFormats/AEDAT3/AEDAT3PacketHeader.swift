/// The 28-byte little-endian header of an AEDAT 3.1 (cAER) event packet (docs/FORMATS.md §1.2).
struct AEDAT3PacketHeader {
    static let size = 28

    var eventType: Int16
    var eventSource: Int16
    var eventSize: Int32
    var eventTSOffset: Int32
    var eventTSOverflow: Int32
    var eventCapacity: Int32
    var eventNumber: Int32
    var eventValid: Int32

    /// cAER's event types.
    enum EventType: Int16 {
        case special = 0, polarity = 1, frame = 2, imu6 = 3, imu9 = 4, spike = 12

        var name: String {
            switch self {
            case .special: "special"
            case .polarity: "polarity"
            case .frame: "frame"
            case .imu6: "IMU6"
            case .imu9: "IMU9"
            case .spike: "spike"
            }
        }
    }

    init(_ p: UnsafeRawPointer) {
        func i32(_ at: Int) -> Int32 { Int32(littleEndian: p.loadUnaligned(fromByteOffset: at, as: Int32.self)) }
        eventType = Int16(littleEndian: p.loadUnaligned(as: Int16.self))
        eventSource = Int16(littleEndian: p.loadUnaligned(fromByteOffset: 2, as: Int16.self))
        eventSize = i32(4)
        eventTSOffset = i32(8)
        eventTSOverflow = i32(12)
        eventCapacity = i32(16)
        eventNumber = i32(20)
        eventValid = i32(24)
    }

    /// Bytes of payload after the header: eventCapacity × eventSize.
    var payloadSize: Int64 { Int64(eventCapacity) * Int64(eventSize) }

    /// The high bits of every timestamp in the packet: the full time is (eventTSOverflow << 31) | ts.
    var timeBase: Int64 { Int64(eventTSOverflow) << 31 }
}
