import CUMockdev
import Foundation
import Testing

/// umockdev's testbed in this process: emulated sysfs, /dev/bus/usb and usbfs ioctls, so that our real libusb code
/// finds and talks to an emulated camera. Needs umockdev's preload library (run under `umockdev-wrapper`;
/// `tools/test` does). One testbed at a time in the process (suites of different test targets wait for each other);
/// it is removed in `deinit`, with the captures it replayed.
public final class Testbed {
    private let raw: UnsafeMutablePointer<UMockdevTestbed>
    /// The capture files handed to umockdev (it reads them while the device is used), removed in `deinit`.
    private var captureFiles: [URL] = []
    /// Held from `init` to `deinit`: a semaphore, since a test may end on another thread than it began.
    private static let oneAtATime = DispatchSemaphore(value: 1)

    /// Whether umockdev's preload library is active in this process (umockdev can tell only once a testbed exists).
    public static let isAvailable: Bool = {
        let probe = umockdev_testbed_new()
        defer { g_object_unref(probe) }
        return umockdev_in_mock_environment() != 0
    }()

    public static let skipReason: Comment =
        "umockdev is not active in this process: the emulated-camera tests run under umockdev-wrapper (tools/test does this)"

    public init() {
        Self.oneAtATime.wait()
        raw = umockdev_testbed_new()
    }

    deinit {
        g_object_unref(raw)
        for file in captureFiles { try? FileManager.default.removeItem(at: file) }
        Self.oneAtATime.signal()
    }

    public struct Failure: Error, CustomStringConvertible {
        public var description: String
    }

    private static func check(_ ok: gboolean, _ error: UnsafeMutablePointer<GError>?, _ what: String) throws {
        guard ok == 0 else { return }
        let message = error.map { String(cString: $0.pointee.message) } ?? "unknown error"
        if let error { g_error_free(error) }
        throw Failure(description: "umockdev: \(what): \(message)")
    }

    /// Adds a device from an umockdev-record description.
    public func add(_ device: EmulatedDevice) throws {
        var error: UnsafeMutablePointer<GError>?
        let ok = umockdev_testbed_add_from_string(raw, device.description, &error)
        try Self.check(ok, error, "add device \(device.sysfsPath)")
    }

    /// Replays `capture` on `device`'s usbfs node.
    public func replay(_ capture: UsbmonCapture, on device: EmulatedDevice) throws {
        let file = FileManager.default.temporaryDirectory.appendingPathComponent("ottt-\(UUID().uuidString).pcap")
        try capture.write(to: file)
        captureFiles.append(file)
        var error: UnsafeMutablePointer<GError>?
        let ok = umockdev_testbed_load_pcap(raw, device.sysfsPath, file.path, &error)
        try Self.check(ok, error, "load pcap for \(device.sysfsPath)")
    }
}
