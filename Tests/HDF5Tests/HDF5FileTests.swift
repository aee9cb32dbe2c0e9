import Foundation
import Testing
import TestSupport
import HDF5

@Suite("HDF5 files")
struct HDF5FileTests {
    @Test("floats, integers, scalars and strings come back as written, in groups; h5dump agrees on the types")
    func roundTrip() throws {
        let dir = try SharedMaterial.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        let path = dir.appendingPathComponent("t.h5").path
        do {
            let file = try HDF5File.create(path: path)
            let g = try file.root.createGroup("g")
            try g.write("w", floats: [1, -2.5, 3, 4, 5, 6], shape: [2, 3], compress: true)
            try g.write("n", integers: [7], shape: [])
            try g.write("s", string: "Conv2d ✓")
            try g.write("pairs", strings: ["a", "b", "c", "d"], shape: [2, 2])
        }
        let root = try HDF5File.open(path: path).root
        #expect(try root.memberNames() == ["g"])
        let g = try root.group("g")
        #expect(try g.memberNames() == ["n", "pairs", "s", "w"])
        #expect(try g.read("w") == HDF5Dataset(shape: [2, 3], values: .floats([1, -2.5, 3, 4, 5, 6])))
        #expect(try g.read("n") == HDF5Dataset(shape: [], values: .integers([7])))
        #expect(try g.read("s") == HDF5Dataset(shape: [], values: .strings(["Conv2d ✓"])))
        #expect(try g.read("pairs") == HDF5Dataset(shape: [2, 2], values: .strings(["a", "b", "c", "d"])))
        let dump = Process()
        dump.executableURL = URL(fileURLWithPath: "/usr/bin/h5dump")
        guard FileManager.default.fileExists(atPath: "/usr/bin/h5dump") else { return }
        dump.arguments = ["-H", path]
        let pipe = Pipe()
        dump.standardOutput = pipe
        try dump.run()
        let text = String(decoding: pipe.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        dump.waitUntilExit()
        #expect(text.contains("H5T_IEEE_F32LE") && text.contains("H5T_STD_I64LE") && text.contains("H5T_CSET_UTF8"))
        #expect(text.contains("STRSIZE H5T_VARIABLE"))
    }

    @Test("errors name the file and the path inside it")
    func errors() throws {
        let dir = try SharedMaterial.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        let path = dir.appendingPathComponent("t.h5").path
        do { _ = try HDF5File.create(path: path).root.createGroup("node") }
        let node = try HDF5File.open(path: path).root.group("node")
        let e = try #require(throws: HDF5Error.self) { try node.read("type") }
        #expect(e.problem == .missing && e.path == "/node/type" && e.file == path)
        #expect("\(e)".contains("\(path):/node/type"))
        #expect(throws: HDF5Error.self) { try HDF5File.open(path: dir.appendingPathComponent("absent.h5").path) }
        #expect(throws: HDF5Error.self) { try node.write("bad", floats: [1, 2], shape: [3]) }
    }
}
