import Foundation
import Pipeline

/// The terminal in raw mode (keys arrive one by one, unechoed) for `--teach`; the saved settings are put back by
/// `restore()`, by `deinit`, and at process exit, so the shell is never left raw.
final class RawTerminal: KeyInput, @unchecked Sendable {
    // @unchecked: `saved` is written once in init and read by restore.
    private let fd: Int32
    private let saved: termios
    nonisolated(unsafe) private static var toRestore: (Int32, termios)?

    /// Switches `fd` (stdin) to raw mode; nil when it is not a terminal.
    init?(fd: Int32 = STDIN_FILENO) {
        guard isatty(fd) != 0 else { return nil }
        var settings = termios()
        guard tcgetattr(fd, &settings) == 0 else { return nil }
        self.fd = fd
        saved = settings
        var raw = settings
        raw.c_lflag &= ~tcflag_t(ICANON | ECHO)
        withUnsafeMutablePointer(to: &raw.c_cc) {
            $0.withMemoryRebound(to: cc_t.self, capacity: Int(NCCS)) { cc in
                cc[Int(VMIN)] = 0                      // read returns after 0.1 s without a key, so the thread can stop
                cc[Int(VTIME)] = 1
            }
        }
        tcsetattr(fd, TCSANOW, &raw)
        RawTerminal.toRestore = (fd, settings)
        atexit { RawTerminal.restoreSaved() }
    }

    deinit { restore() }

    func restore() {
        var settings = saved
        tcsetattr(fd, TCSANOW, &settings)
        RawTerminal.toRestore = nil
    }

    private static func restoreSaved() {
        guard let (fd, saved) = toRestore else { return }
        var settings = saved
        tcsetattr(fd, TCSANOW, &settings)
    }

    /// The next key, or nil after 0.1 s without one.
    func readKey() -> UInt8? {
        var byte: UInt8 = 0
        return read(fd, &byte, 1) == 1 ? byte : nil
    }
}
