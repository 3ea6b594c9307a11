import Foundation

/// XDMF 2 descriptions of a run file's fields, so that ParaView (its "XDMF Reader")
/// and VisIt open the field snapshots as a time series on the mesh. The XML holds
/// no data: it points at datasets of the HDF5 file (by file name relative to the
/// `.xmf`, and path inside it), one hyperslab per snapshot.
public enum XDMF {
    /// The mesh the fields live on; values sit on its nodes (the cell centres).
    public enum Mesh: Sendable, Equatable {
        /// A line of `cells` cell centres along y, positions in dataset `position` (m);
        /// fields are datasets of shape (time, cells). Drawn as one polyline in the
        /// x–y plane at x = z = 0.
        case line(cells: Int, position: String)
        /// A rectilinear grid of `nx` × `ny` cell centres, positions in datasets `x`
        /// and `y` (m); fields are datasets of shape (time, ny, nx). For the 2D model.
        case rectilinear(nx: Int, ny: Int, x: String, y: String)

        /// Shape of one snapshot of a field.
        public var snapshotShape: [Int] {
            switch self {
            case .line(let cells, _): [cells]
            case .rectilinear(let nx, let ny, _, _): [ny, nx]
            }
        }
    }

    /// A field: its name in the viewer and its dataset path (shape (time, …mesh)).
    public struct Field: Sendable, Equatable {
        public let name: String
        public let path: String
        public init(name: String, path: String) {
            self.name = name
            self.path = path
        }
    }

    /// The `.xmf` path for a run file: the same base name, extension `.xmf`.
    public static func path(forRunFile path: String) -> String {
        let ns = path as NSString
        return (ns.pathExtension.isEmpty ? path : ns.deletingPathExtension) + ".xmf"
    }

    /// The XDMF document for `fields` at snapshot `times` (s) on `mesh`; `dataFile` is
    /// the HDF5 file name as seen from the `.xmf` (normally its last path component).
    public static func document(dataFile: String, mesh: Mesh, times: [Double], fields: [Field]) -> String {
        let file = escape(dataFile)
        var x = """
            <?xml version="1.0" ?>
            <!DOCTYPE Xdmf SYSTEM "Xdmf.dtd" []>
            <Xdmf Version="2.0">
              <Domain>

            """
        x += meshItems(mesh, file: file)
        x += "    <Grid Name=\"fields\" GridType=\"Collection\" CollectionType=\"Temporal\">\n"
        let shape = mesh.snapshotShape
        let full = ([times.count] + shape).map(String.init).joined(separator: " ")
        let slab = ([1] + shape).map(String.init).joined(separator: " ")
        for (k, t) in times.enumerated() {
            x += "      <Grid Name=\"snapshot \(k)\" GridType=\"Uniform\">\n"
            x += "        <Time Value=\"\(number(t))\"/>\n"
            x += topologyAndGeometry(mesh)
            // Start, stride and count of snapshot k along (time, …mesh).
            let selection = [[k] + shape.map { _ in 0 }, ([1] + shape.map { _ in 1 }), [1] + shape]
                .map { $0.map(String.init).joined(separator: " ") }.joined(separator: " ")
            for f in fields {
                x += """
                            <Attribute Name="\(escape(f.name))" AttributeType="Scalar" Center="Node">
                              <DataItem ItemType="HyperSlab" Dimensions="\(slab)" Type="HyperSlab">
                                <DataItem Dimensions="3 \(shape.count + 1)" Format="XML">\(selection)</DataItem>
                                <DataItem Dimensions="\(full)" NumberType="Float" Precision="8" Format="HDF">\(file):\(escape(f.path))</DataItem>
                              </DataItem>
                            </Attribute>

                    """
            }
            x += "      </Grid>\n"
        }
        x += "    </Grid>\n  </Domain>\n</Xdmf>\n"
        return x
    }

    /// The mesh's coordinates, once, as named items the snapshots refer to.
    static func meshItems(_ mesh: Mesh, file: String) -> String {
        func hdf(_ name: String, _ count: Int, _ path: String) -> String {
            "    <DataItem Name=\"\(name)\" Dimensions=\"\(count)\" NumberType=\"Float\" Precision=\"8\" Format=\"HDF\">\(file):\(escape(path))</DataItem>\n"
        }
        switch mesh {
        case .line(let cells, let position):
            let zeros = Array(repeating: "0", count: cells).joined(separator: " ")
            return "    <DataItem Name=\"zero\" Dimensions=\"\(cells)\" NumberType=\"Float\" Precision=\"8\" Format=\"XML\">\(zeros)</DataItem>\n"
                + hdf("y", cells, position)
        case .rectilinear(let nx, let ny, let xPath, let yPath):
            return hdf("x", nx, xPath) + hdf("y", ny, yPath)
        }
    }

    /// The topology and geometry of one snapshot, referring to ``meshItems(_:file:)``.
    static func topologyAndGeometry(_ mesh: Mesh) -> String {
        func ref(_ name: String) -> String {
            "          <DataItem Reference=\"XML\">/Xdmf/Domain/DataItem[@Name=\"\(name)\"]</DataItem>\n"
        }
        switch mesh {
        case .line(let cells, _):
            return "        <Topology TopologyType=\"Polyline\" NumberOfElements=\"1\" NodesPerElement=\"\(cells)\"/>\n"
                + "        <Geometry GeometryType=\"X_Y_Z\">\n" + ref("zero") + ref("y") + ref("zero") + "        </Geometry>\n"
        case .rectilinear(let nx, let ny, _, _):
            return "        <Topology TopologyType=\"2DRectMesh\" Dimensions=\"\(ny) \(nx)\"/>\n"
                + "        <Geometry GeometryType=\"VXVY\">\n" + ref("x") + ref("y") + "        </Geometry>\n"
        }
    }

    /// Writes `text` to `path` atomically: to a temporary file beside it, then renamed.
    public static func write(_ text: String, to path: String) throws {
        let temporary = path + ".partial"
        try Data(text.utf8).write(to: URL(fileURLWithPath: temporary))
        if rename(temporary, path) != 0 {
            let reason = String(cString: strerror(errno))
            try? FileManager.default.removeItem(atPath: temporary)
            throw RunWriterError(message: "cannot rename \(temporary) to \(path): \(reason)")
        }
    }

    static func number(_ x: Double) -> String { x.isFinite ? "\(x)" : "0" }

    static func escape(_ s: String) -> String {
        s.replacingOccurrences(of: "&", with: "&amp;").replacingOccurrences(of: "<", with: "&lt;")
            .replacingOccurrences(of: ">", with: "&gt;").replacingOccurrences(of: "\"", with: "&quot;")
    }
}
