import Foundation
import Testing

/// Where the read-only shared material lives: `../shared` beside the checkout (recordings, reference tensors).
///
/// Tests that need it use `.enabled(if: SharedMaterial.isAvailable, SharedMaterial.skipReason)`, so that a fresh
/// clone without `../shared` skips them with a visible message while CI runs them.
public enum SharedMaterial {
    /// The package root, found from this file's path (Tests/TestSupport/SharedMaterial.swift).
    public static let packageRoot: URL = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()

    /// `../shared` next to the package root, standardized.
    public static let root: URL = packageRoot.deletingLastPathComponent().appendingPathComponent("shared")

    public static var isAvailable: Bool {
        FileManager.default.fileExists(atPath: root.appendingPathComponent("recordings").path)
    }

    public static let skipReason: Comment = "../shared is absent (a fresh clone): skipping tests on shared recordings"

    /// A path inside `../shared/recordings`.
    public static func recording(_ name: String) -> String {
        root.appendingPathComponent("recordings").appendingPathComponent(name).path
    }

    /// A path inside `../shared/reference`.
    public static func reference(_ name: String) -> String {
        root.appendingPathComponent("reference").appendingPathComponent(name).path
    }

    /// A path inside this package's `Tests/Fixtures/` folder (small files we made ourselves, see its README).
    public static func fixture(_ name: String) -> String {
        packageRoot.appendingPathComponent("Tests").appendingPathComponent("Fixtures").appendingPathComponent(name).path
    }

    /// A path inside this package's own `recordings/` folder (our own small files).
    public static func ownRecording(_ name: String) -> String {
        packageRoot.appendingPathComponent("recordings").appendingPathComponent(name).path
    }

    /// A fresh temporary directory for one test, removed by the caller when it wants (or left for the OS).
    public static func temporaryDirectory() throws -> URL {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("ottt-test-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        return dir
    }
}
