import Foundation

/// Writes a usbmon capture (classic pcap, link type 220 = USB Linux with the 64-byte "mmapped" header) that
/// umockdev replays to our real libusb code: one `S` (submit) and one `C` (complete) record per URB.
///
/// umockdev's replay is strictly in order: an `S` record waits for a URB of the same type, endpoint, length, setup
/// bytes and OUT data; a `C` record completes it with status, length and data (martinpitt/umockdev,
/// src/umockdev-pcap.vala). So a capture is both the emulated camera's answers and the exact list of requests the
/// driver must send; an unexpected request stalls and the driver's control transfer times out.
public struct UsbmonCapture {
    public let bus: UInt16
    public let device: UInt8
    private var records: [[UInt8]] = []
    private var nextID: UInt64 = 0xFFFF_8800_0000_1000
    private var clock: UInt64 = 0

    public init(bus: UInt16 = 1, device: UInt8 = 2) {
        self.bus = bus
        self.device = device
    }

    public enum TransferType: UInt8 { case control = 2, bulk = 3 }

    private mutating func record(id: UInt64, kind: Character, type: TransferType, endpoint: UInt8,
                                 setup: [UInt8]?, status: Int32, length: Int, data: [UInt8]) {
        clock += 125
        var r = [UInt8]()
        func le<T: FixedWidthInteger>(_ v: T) { withUnsafeBytes(of: v.littleEndian) { r.append(contentsOf: $0) } }
        le(id)
        r.append(kind.asciiValue!)
        r.append(type.rawValue)
        r.append(endpoint)
        r.append(device)
        le(bus)
        r.append(setup == nil ? UInt8(ascii: "-") : 0)            // flag_setup: 0 = setup bytes present
        r.append(data.isEmpty ? UInt8(ascii: kind == "S" ? "<" : ">") : 0)  // flag_data: 0 = data present
        le(Int64(clock / 1_000_000))
        le(Int32(clock % 1_000_000))
        le(status)
        le(UInt32(length))                                         // urb_len
        le(UInt32(data.count))                                     // data_len
        r.append(contentsOf: setup ?? [UInt8](repeating: 0, count: 8))
        le(Int32(0)); le(Int32(0)); le(UInt32(0)); le(UInt32(0))   // interval, start_frame, xfer_flags, ndesc
        precondition(r.count == 64, "usbmon header must be 64 bytes, built \(r.count)")
        records.append(r + data)
    }

    private mutating func newID() -> UInt64 {
        nextID += 0x40
        return nextID
    }

    private static func setup(_ requestType: UInt8, _ request: UInt8, _ value: UInt16, _ index: UInt16,
                              _ length: Int) -> [UInt8] {
        [requestType, request, UInt8(value & 0xFF), UInt8(value >> 8), UInt8(index & 0xFF), UInt8(index >> 8),
         UInt8(length & 0xFF), UInt8(length >> 8)]
    }

    /// A control request to the device with an OUT data stage, accepted in full.
    public mutating func controlOut(_ request: UInt8, value: UInt16, index: UInt16, data: [UInt8] = [],
                             requestType: UInt8 = 0x40) {
        let id = newID()
        let s = Self.setup(requestType, request, value, index, data.count)
        record(id: id, kind: "S", type: .control, endpoint: 0x00, setup: s, status: -115, length: data.count, data: data)
        record(id: id, kind: "C", type: .control, endpoint: 0x00, setup: nil, status: 0, length: data.count, data: [])
    }

    /// A control request from the device, answered with `reply`.
    public mutating func controlIn(_ request: UInt8, value: UInt16, index: UInt16, length: Int, reply: [UInt8],
                            requestType: UInt8 = 0xC0) {
        let id = newID()
        let s = Self.setup(requestType, request, value, index, length)
        record(id: id, kind: "S", type: .control, endpoint: 0x80, setup: s, status: -115, length: length, data: [])
        record(id: id, kind: "C", type: .control, endpoint: 0x80, setup: nil, status: 0, length: reply.count, data: reply)
    }

    /// libusb_get_string_descriptor_ascii: the language list, then the string in that language.
    public mutating func stringDescriptor(index: UInt8, _ text: String) {
        controlIn(6, value: 0x0300, index: 0, length: 4, reply: [4, 3, 0x09, 0x04], requestType: 0x80)
        let utf16 = text.utf16.flatMap { [UInt8($0 & 0xFF), UInt8($0 >> 8)] }
        controlIn(6, value: 0x0300 | UInt16(index), index: 0x0409, length: 255,
                  reply: [UInt8(2 + utf16.count), 3] + utf16, requestType: 0x80)
    }

    /// A config register write (0xBF OUT, 4 bytes big-endian).
    public mutating func writeConfig(_ module: UInt16, _ param: UInt16, _ value: UInt32) {
        controlOut(0xBF, value: module, index: param,
                   data: [UInt8(value >> 24), UInt8((value >> 16) & 0xFF), UInt8((value >> 8) & 0xFF), UInt8(value & 0xFF)])
    }

    /// A config register read (0xBF IN) answered with `value`.
    public mutating func readConfig(_ module: UInt16, _ param: UInt16, reply value: UInt32) {
        controlIn(0xBF, value: module, index: param, length: 4,
                  reply: [UInt8(value >> 24), UInt8((value >> 16) & 0xFF), UInt8((value >> 8) & 0xFF), UInt8(value & 0xFF)])
    }

    /// The driver submits a bulk IN transfer of `length` bytes; returns the URB id to complete later.
    public mutating func submitBulk(endpoint: UInt8, length: Int) -> UInt64 {
        let id = newID()
        record(id: id, kind: "S", type: .bulk, endpoint: endpoint, setup: nil, status: -115, length: length, data: [])
        return id
    }

    /// The device completes bulk URB `id` with `data` (status 0), or fails it (status −108 ESHUTDOWN: unplugged).
    public mutating func completeBulk(_ id: UInt64, endpoint: UInt8, data: [UInt8], status: Int32 = 0) {
        record(id: id, kind: "C", type: .bulk, endpoint: endpoint, setup: nil, status: status, length: data.count, data: data)
    }

    /// A stream with `transfers` in flight: each payload completes the oldest URB, which the driver resubmits.
    /// Returns the URBs still in flight at the end.
    public mutating func stream(endpoint: UInt8, length: Int, inFlight: [UInt64], payloads: [[UInt8]]) -> [UInt64] {
        var pending = inFlight
        for payload in payloads {
            precondition(payload.count <= length, "a payload of \(payload.count) B does not fit a \(length) B transfer")
            let id = pending.removeFirst()
            completeBulk(id, endpoint: endpoint, data: payload)
            pending.append(submitBulk(endpoint: endpoint, length: length))
        }
        return pending
    }

    /// The camera is unplugged: every URB in flight fails with ESHUTDOWN.
    public mutating func unplug(endpoint: UInt8, inFlight: [UInt64]) {
        for id in inFlight { completeBulk(id, endpoint: endpoint, data: [], status: -108) }
    }

    /// The capture as a classic pcap file.
    public var bytes: [UInt8] {
        var out = [UInt8]()
        func le<T: FixedWidthInteger>(_ v: T) { withUnsafeBytes(of: v.littleEndian) { out.append(contentsOf: $0) } }
        le(UInt32(0xA1B2_C3D4)); le(UInt16(2)); le(UInt16(4)); le(Int32(0)); le(UInt32(0))
        le(UInt32(1 << 20)); le(UInt32(220))
        var t: UInt32 = 0
        for r in records {
            t += 1
            le(t / 1000); le((t % 1000) * 1000); le(UInt32(r.count)); le(UInt32(r.count))
            out.append(contentsOf: r)
        }
        return out
    }

    public func write(to url: URL) throws { try Data(bytes).write(to: url) }
}
