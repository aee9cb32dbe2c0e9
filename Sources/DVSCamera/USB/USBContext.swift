internal import CLibUSB
import Foundation

/// One libusb context: device enumeration and the thread that handles USB events.
///
/// Asynchronous transfers complete on the event thread started by `startEventThread()`; synchronous control
/// transfers from other threads are safe meanwhile (libusb hands event handling over between threads).
final class USBContext: @unchecked Sendable {
    let raw: OpaquePointer
    private let lock = NSLock()
    private var eventThread: Thread?
    private var stopRequested = false
    private let threadDone = DispatchSemaphore(value: 0)

    init() throws(USBError) {
        var ctx: OpaquePointer?
        try check(libusb_init(&ctx), "init")
        guard let ctx else { throw USBError(code: USBError.io, operation: "init") }
        raw = ctx
    }

    deinit {
        stopEventThread()
        libusb_exit(raw)
    }

    /// The devices on every bus, as libusb lists them.
    func devices() throws(USBError) -> [USBDevice] {
        var list: UnsafeMutablePointer<OpaquePointer?>?
        let n = try check(Int32(truncatingIfNeeded: libusb_get_device_list(raw, &list)), "get device list")
        guard let list else { return [] }
        defer { libusb_free_device_list(list, 1) }
        return (0..<Int(n)).compactMap { list[$0].map { USBDevice(retaining: $0, context: self) } }
    }

    /// Starts the dedicated event-handling thread (idempotent).
    func startEventThread(name: String = "ottt-usb") {
        lock.lock()
        defer { lock.unlock() }
        guard eventThread == nil else { return }
        stopRequested = false
        let thread = Thread { [unowned self] in
            var tv = timeval(tv_sec: 0, tv_usec: 100_000)
            while !self.isStopRequested {
                libusb_handle_events_timeout_completed(self.raw, &tv, nil)
            }
            self.threadDone.signal()
        }
        thread.name = name
        eventThread = thread
        thread.start()
    }

    private var isStopRequested: Bool {
        lock.lock()
        defer { lock.unlock() }
        return stopRequested
    }

    /// Stops the event thread and waits for it to end. Call only once no transfer is in flight.
    func stopEventThread() {
        lock.lock()
        guard eventThread != nil else { lock.unlock(); return }
        stopRequested = true
        eventThread = nil
        lock.unlock()
        libusb_interrupt_event_handler(raw)
        threadDone.wait()
    }
}
