import HDF5

/// The HDF5 layout of `nir.write` (reference package 1.0.8):
///
///     /version                    variable-length UTF-8 string
///     /node/type                  "NIRGraph"
///     /node/edges                 strings (E, 2): [source, target]
///     /node/metadata/<key>        strings (only when there is metadata)
///     /node/nodes/<name>/type     the node's type, e.g. "Conv2d"
///     /node/nodes/<name>/<field>  float32 arrays, int64 shapes and scalars
extension NIRGraph {
    /// Writes the graph to `path` (replacing it); `compress` deflates the float arrays.
    public func write(to path: String, compress: Bool = false) throws(NIRError) {
        do {
            let file = try HDF5File.create(path: path)
            try file.root.write("version", string: version)
            let node = try file.root.createGroup("node")
            try node.write("type", string: "NIRGraph")
            try node.write("edges", strings: edges.flatMap { [$0.source, $0.target] }, shape: [edges.count, 2])
            if !metadata.isEmpty {
                let m = try node.createGroup("metadata")
                for (key, value) in metadata.sorted(by: { $0.key < $1.key }) { try m.write(key, string: value) }
            }
            let group = try node.createGroup("nodes")
            for (name, n) in nodes.sorted(by: { $0.key < $1.key }) {
                try n.write(into: try group.createGroup(name), compress: compress)
            }
        } catch { throw .file(error) }
    }

    /// Reads a graph written by `nir.write` (or by `write(to:)`). Nodes of types this module does not model are
    /// kept as `.other`; a nested graph is `.other(type: "NIRGraph")`.
    public static func read(from path: String) throws(NIRError) -> NIRGraph {
        do {
            let file = try HDF5File.open(path: path)
            let root = try file.root
            let version = try root.kind(of: "version") == .dataset ? try NodeReader.string(root, "version") : "unknown"
            let node = try root.group("node")
            let type = try NodeReader.string(node, "type")
            guard type == "NIRGraph" else { throw NIRError.badGraph(file: path, problem: "/node/type is '\(type)', expected 'NIRGraph'") }
            let edgeData = try node.read("edges")
            guard case .strings(let ends) = edgeData.values, edgeData.shape.count == 2 && edgeData.shape[1] == 2 || ends.isEmpty else {
                throw NIRError.badGraph(file: path, problem: "/node/edges is \(edgeData.kindName) of shape \(edgeData.shape), expected strings (E, 2)")
            }
            let edges = stride(from: 0, to: ends.count, by: 2).map { Edge(ends[$0], ends[$0 + 1]) }
            var metadata: [String: String] = [:]
            if try node.kind(of: "metadata") == .group {
                let m = try node.group("metadata")
                for key in try m.memberNames() where try m.kind(of: key) == .dataset {
                    metadata[key] = NodeReader.text(try m.read(key))
                }
            }
            let group = try node.group("nodes")
            var nodes: [String: NIRNode] = [:]
            for name in try group.memberNames() {
                let reader = NodeReader(group: try group.group(name), name: name, file: path)
                nodes[name] = try reader.node()
            }
            return NIRGraph(nodes: nodes, edges: edges, metadata: metadata, version: version)
        } catch let e as HDF5Error { throw .file(e) } catch let e as NIRError { throw e } catch {
            throw .badGraph(file: path, problem: "\(error)")
        }
    }
}
