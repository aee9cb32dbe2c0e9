internal import CHDF5
internal import HDF5Macros

/// A group of an HDF5 file: its members by name, sub-groups, and (in `HDF5Group+Datasets.swift`) datasets of
/// floats, integers and strings. Closed when the last reference goes.
public final class HDF5Group {
    /// The file the group lives in (kept open while the group is).
    public let file: HDF5File
    /// The group's path inside the file, "" for the root.
    public let path: String
    let id: hid_t

    init(file: HDF5File, path: String, id: hid_t) { self.file = file; self.path = path; self.id = id }

    deinit { _ = H5Gclose(id) }

    /// The path of member `name`, for errors.
    public func pathOf(_ name: String) -> String { "\(path)/\(name)" }

    func failure(_ name: String, _ problem: HDF5Error.Problem) -> HDF5Error {
        HDF5Error(file: file.path, path: pathOf(name), problem: problem)
    }

    /// Makes the sub-group `name`.
    public func createGroup(_ name: String) throws(HDF5Error) -> HDF5Group {
        let g = H5Gcreate2(id, name, ottt_h5p_default(), ottt_h5p_default(), ottt_h5p_default())
        guard g >= 0 else { throw failure(name, .callFailed("H5Gcreate2")) }
        return HDF5Group(file: file, path: pathOf(name), id: g)
    }

    /// Opens the sub-group `name`.
    public func group(_ name: String) throws(HDF5Error) -> HDF5Group {
        guard try kind(of: name) == .group else { throw failure(name, .wrongType(expected: "a group", found: "\(try kind(of: name))")) }
        let g = H5Gopen2(id, name, ottt_h5p_default())
        guard g >= 0 else { throw failure(name, .callFailed("H5Gopen2")) }
        return HDF5Group(file: file, path: pathOf(name), id: g)
    }

    /// What a member is.
    public enum MemberKind: Equatable, Sendable, CustomStringConvertible {
        case group, dataset, other, absent
        public var description: String {
            switch self {
            case .group: "a group"
            case .dataset: "a dataset"
            case .other: "another kind of object"
            case .absent: "nothing"
            }
        }
    }

    /// Whether `name` is a group, a dataset, something else, or absent.
    public func kind(of name: String) throws(HDF5Error) -> MemberKind {
        guard !name.isEmpty, !name.contains("/"), H5Lexists(id, name, ottt_h5p_default()) > 0 else { return .absent }
        let object = H5Oopen(id, name, ottt_h5p_default())
        guard object >= 0 else { throw failure(name, .callFailed("H5Oopen")) }
        defer { _ = H5Oclose(object) }
        switch H5Iget_type(object) {
        case H5I_GROUP: return .group
        case H5I_DATASET: return .dataset
        default: return .other
        }
    }

    /// The names of the group's members, in the file's (alphabetical) order.
    public func memberNames() throws(HDF5Error) -> [String] {
        var info = H5G_info_t()
        guard H5Gget_info(id, &info) >= 0 else { throw failure("", .callFailed("H5Gget_info")) }
        var names: [String] = []
        for i in 0..<info.nlinks {
            let length = H5Lget_name_by_idx(id, ".", H5_INDEX_NAME, H5_ITER_INC, i, nil, 0, ottt_h5p_default())
            guard length >= 0 else { throw failure("#\(i)", .callFailed("H5Lget_name_by_idx")) }
            var buffer = [CChar](repeating: 0, count: Int(length) + 1)
            guard H5Lget_name_by_idx(id, ".", H5_INDEX_NAME, H5_ITER_INC, i, &buffer, buffer.count, ottt_h5p_default()) >= 0 else {
                throw failure("#\(i)", .callFailed("H5Lget_name_by_idx"))
            }
            names.append(String(decoding: buffer.prefix(Int(length)).map { UInt8(bitPattern: $0) }, as: UTF8.self))
        }
        return names
    }
}
