import DVSEvents
import Foundation
import Testing
@testable import DVSCamera

/// The whole USB path — our libusb wrapper, discovery, each family's start and stop sequence, asynchronous bulk
/// transfers with resubmission, decoding, the queue, unplug — against cameras emulated by umockdev replaying
/// captures that we generate (Emulation/). A request the driver sends that is not in the capture stalls the replay
/// and fails the test with a control-transfer timeout; every request is traced to stderr to tell which.
@Suite("Cameras through real libusb, emulated by umockdev", .serialized,
       .enabled(if: Testbed.isAvailable, Testbed.skipReason))
struct EmulatedCameraTests {
    static func options() -> Camera.Options {
        var o = Camera.Options()
        o.readTimeout = 0.2
        o.trace = { line in FileHandle.standardError.write(Data("camera request: \(line)\n".utf8)) }
        return o
    }

    /// Reads until the stream ends, returning the events and the error that ended it.
    static func drain(_ camera: Camera, atLeast wanted: Int? = nil) -> ([Event], (any Error)?) {
        let chunk = EventBuffer()
        var events: [Event] = []
        var idle = 0
        do {
            while try camera.read(into: chunk) {
                events += chunk.events
                idle = chunk.isEmpty ? idle + 1 : 0
                if let wanted, events.count >= wanted { break }
                if idle > 25 { break }  // 5 s without data: the replay is stuck
            }
        } catch {
            return (events, error)
        }
        return (events, nil)
    }

    @Test("an empty bus lists no camera, and opening one says none is attached")
    func emptyBus() throws {
        let bed = Testbed()
        _ = bed
        #expect(try Camera.list().isEmpty)
        #expect {
            _ = try Camera()
        } throws: { error in
            guard case CameraError.noCamera(nil, let found) = error else { return false }
            return found.isEmpty && "\(error)".contains("no camera")
        }
    }

    @Test("DVS128: discovery, biases and start, a stream with a wrap and a reset, stop")
    func dvs128() throws {
        let bed = Testbed()
        let device = EmulatedDevice(productID: 0x8400, bcdDevice: 0x000E, endpoint: 0x86)
        try bed.add(device)
        var c = UsbmonCapture()
        Transcripts.discovery(&c, serial: "DVS00042")   // list()
        Transcripts.discovery(&c, serial: "DVS00042")   // open
        Transcripts.dvs128Open(&c)
        var urbs = Transcripts.dvs128Start(&c)
        let first = Words.dvs128(x: 0, y: 0, on: true, t: 100) + Words.dvs128(x: 127, y: 5, on: false, t: 0x3FFF)
        let second = Words.dvs128Wrap + Words.dvs128(x: 64, y: 127, on: true, t: 7)
        let third = Words.dvs128Reset + Words.dvs128(x: 1, y: 2, on: false, t: 3)
        urbs = c.stream(endpoint: 0x86, length: 4096, inFlight: urbs, payloads: [first, second, third])
        Transcripts.dvs128Stop(&c)
        try bed.replay(c, on: device)

        let listed = try Camera.list()
        #expect(listed == [CameraInfo(family: .dvs128, model: "DVS128", serial: "DVS00042", firmwareVersion: 14,
                                      logicVersion: nil, busNumber: 1, address: 2, ports: [1], status: .ready)])
        let camera = try Camera(serial: "DVS00042", options: Self.options())
        #expect(camera.info.sensor == .dvs128)
        let (events, error) = Self.drain(camera, atLeast: 4)
        #expect(error == nil)
        #expect(events == [
            Event(t: 100, x: 0, y: 0, on: true), Event(t: 0x3FFF, x: 127, y: 5, on: false),
            Event(t: 0x4000 + 7, x: 64, y: 127, on: true), Event(t: 3, x: 1, y: 2, on: false),
        ])
        camera.close()
        #expect(try !camera.read(into: EventBuffer()))
    }
}
