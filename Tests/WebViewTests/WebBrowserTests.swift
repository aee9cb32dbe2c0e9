import Foundation
import Testing
import TestSupport

/// The view in a real browser: `tools/web-browser-check.py` drives Debian's chromium through Selenium against the
/// built `ottt` (see the script for the checks). Skipped, visibly, where chromium, chromedriver or python3-selenium
/// are not installed (`tools/setup` installs them).
@Suite("WebBrowser")
struct WebBrowserTests {
    static let root = SharedMaterial.packageRoot.path
    static let ottt = root + "/.build/debug/ottt"
    static var available: Bool {
        let fm = FileManager.default
        return fm.fileExists(atPath: "/usr/bin/chromium") && fm.fileExists(atPath: "/usr/bin/chromedriver")
            && fm.fileExists(atPath: "/usr/lib/python3/dist-packages/selenium") && fm.fileExists(atPath: ottt)
    }

    @Test("the page in headless chromium: frames, predictions as --json, teaching journalled, two browsers, a stalled one, the token",
          .enabled(if: available, "chromium, chromedriver, python3-selenium or a debug build of ottt is missing: skipping the browser test"))
    func browser() throws {
        let out = FileManager.default.temporaryDirectory.appendingPathComponent("ottt-web-\(getpid())").path
        defer { try? FileManager.default.removeItem(atPath: out) }
        let p = Process()
        p.executableURL = URL(fileURLWithPath: "/usr/bin/python3")
        p.arguments = [Self.root + "/tools/web-browser-check.py", Self.ottt, out]
        var environment = ProcessInfo.processInfo.environment
        environment["SE_OFFLINE"] = "true"
        p.environment = environment
        let pipe = Pipe()
        p.standardOutput = pipe
        p.standardError = FileHandle.nullDevice
        try p.run()
        let text = String(decoding: pipe.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        p.waitUntilExit()
        let failed = text.split(separator: "\n").filter { $0.hasPrefix("FAIL") }
        #expect(failed.isEmpty, "\(failed.joined(separator: "\n"))")
        #expect(p.terminationStatus == 0, "\(text)")
        #expect(text.contains("all checks passed"))
    }
}
