internal import CHDF5
internal import HDF5Macros

/// An HDF5 file, open for reading or newly created (truncating what was there). The handle is closed when the
/// last reference goes (groups keep their file alive).
///
///     let file = try HDF5File.create(path: "net.nir")
///     let node = try file.root.createGroup("node")
///     try node.write("type", string: "NIRGraph")
public final class HDF5File {
    /// The path the file was opened with (named in every error).
    public let path: String
    let id: hid_t

    private init(path: String, id: hid_t) { self.path = path; self.id = id }

    deinit { _ = H5Fclose(id) }

    /// Creates (or truncates) `path`.
    public static func create(path: String) throws(HDF5Error) -> HDF5File {
        HDF5Library.start()
        let id = H5Fcreate(path, ottt_h5f_acc_trunc(), ottt_h5p_default(), ottt_h5p_default())
        guard id >= 0 else { throw HDF5Error(file: path, path: "/", problem: .callFailed("H5Fcreate")) }
        return HDF5File(path: path, id: id)
    }

    /// Opens `path` read-only.
    public static func open(path: String) throws(HDF5Error) -> HDF5File {
        HDF5Library.start()
        guard H5Fis_hdf5(path) > 0 else {
            throw HDF5Error(file: path, path: "/", problem: .malformed("not an HDF5 file (or unreadable)"))
        }
        let id = H5Fopen(path, ottt_h5f_acc_rdonly(), ottt_h5p_default())
        guard id >= 0 else { throw HDF5Error(file: path, path: "/", problem: .callFailed("H5Fopen")) }
        return HDF5File(path: path, id: id)
    }

    /// The root group, `/`.
    public var root: HDF5Group {
        get throws(HDF5Error) {
            let g = H5Gopen2(id, "/", ottt_h5p_default())
            guard g >= 0 else { throw HDF5Error(file: path, path: "/", problem: .callFailed("H5Gopen2")) }
            return HDF5Group(file: self, path: "", id: g)
        }
    }

    /// Opens a file, hands it to `body` and lets it go afterwards.
    public static func withFile<R>(path: String, _ body: (HDF5File) throws -> R) throws -> R {
        try body(try open(path: path))
    }
}

/// The library's one-time setup: initialise it and silence its error printing (errors are thrown instead).
enum HDF5Library {
    private static let started: Bool = {
        _ = H5open()
        ottt_h5_silence_errors()
        return true
    }()

    static func start() { _ = started }
}
