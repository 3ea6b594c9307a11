import Foundation
#if canImport(FoundationXML)
import FoundationXML
#endif
import IonicsHDF5
import IonicsTestSupport
import Testing

/// Every dataset under `group`, recursively, with its path.
func allDatasets(_ group: HDF5Group) throws -> [(path: String, dataset: HDF5Dataset)] {
    var found: [(String, HDF5Dataset)] = []
    for child in try group.childNames() {
        if try group.isGroup(child) {
            found += try allDatasets(try group.openGroup(child))
        } else {
            let d = try group.openDataset(child)
            found.append((d.path, d))
        }
    }
    return found
}

/// The datasets of the run-file schema that hold counts, indices or enumeration codes.
let integerDatasetNames: Set<String> = [
    "experiment", "newton_iterations", "rejected", "reinitialisation", "after_pulse", "pulse", "index", "kind", "terminal", "layer",
]

@Suite("Self-describing run files", .serialized)
struct OutputSchemaTests {
    /// A short run of the default device (two pulses each way) into `dir`.
    func shortRun(_ dir: TemporaryDirectory) throws -> String {
        let out = dir.file("short.h5")
        let r = try runIonics(["run", "configs/default.json", "-o", out, "--set", "protocol.pulses=2"])
        #expect(r.status == 0, "\(r.stderr)")
        return out
    }

    @Test("every dataset has units and long_name, integers are integers, and every axis has a dimension scale in its own group")
    func attributesAndScales() throws {
        let dir = try TemporaryDirectory()
        defer { dir.cleanup() }
        let root = try HDF5File.open(at: try shortRun(dir)).root()
        #expect(try root.stringAttribute("schema_version") == "2.4")
        let datasets = try allDatasets(root)
        #expect(datasets.count > 60)
        var scales = 0
        for (path, d) in datasets {
            let units = try? d.stringAttribute("units")
            let longName = try? d.stringAttribute("long_name")
            #expect(units?.isEmpty == false, "\(path) has no units")
            #expect(longName?.isEmpty == false, "\(path) has no long_name")
            let name = (path as NSString).lastPathComponent
            let expected: HDF5ElementClass = integerDatasetNames.contains(name) ? .integer : .float
            let stored = try d.elementClass()
            #expect(stored == expected, "\(path) is stored as \(stored)")
            let group = (path as NSString).deletingLastPathComponent
            if try d.isDimensionScale() {
                scales += 1
                #expect(try d.dimensionScaleName() == name, "the scale \(path) must be named after itself")
                continue
            }
            let shape = try d.shape()
            for axis in shape.indices {
                let attached = try d.attachedScales(axis: axis)
                #expect(attached.count == 1, "\(path) axis \(axis) has \(attached.count) scales")
                guard let scale = attached.first else { continue }
                #expect((scale as NSString).deletingLastPathComponent == group, "\(path) uses \(scale) from another group")
                #expect(try root.openDataset(String(scale.dropFirst())).shape()[0] == shape[axis], "\(path) axis \(axis) ≠ \(scale)")
            }
        }
        #expect(scales >= 15)
        // The dimensional datasets the issue found without units.
        for (path, unit) in [("terminals/gate/cumulative_charge", "C"), ("terminals/gate/cumulative_energy", "J"),
                             ("experiments/start", "s"), ("experiments/baseline", "S"), ("fields/potential", "V")] {
            #expect(try root.openDataset(path).stringAttribute("units") == unit, "\(path)")
        }
        // Enumerations carry CF flags whose meanings name their codes.
        let kind = try root.openDataset("pulses/kind")
        #expect(try kind.attribute("flag_values") == .ints([0, 1, 2, 3, 4]))
        #expect(try kind.stringAttribute("flag_meanings") == "potentiation depression pulse pre post")
        #expect(try root.openDataset("pulses/terminal").stringAttribute("flag_meanings") == "gate source")
        // Layer codes name the meshed layers (the metal gate is a boundary, not meshed).
        #expect(try root.openDataset("mesh/layer").stringAttribute("flag_meanings") == "electrolyte channel")
        #expect(try root.openGroup("mesh").attribute("layer_names") == .strings(["electrolyte", "channel"]))
        #expect(try root.read("pulses/pulse").values == [0, 1, 2, 3])
    }

    @Test("the XDMF file beside the run refers only to datasets that exist, with the shapes it states")
    func xdmf() throws {
        let dir = try TemporaryDirectory()
        defer { dir.cleanup() }
        let out = try shortRun(dir)
        let xmf = dir.file("short.xmf")
        #expect(FileManager.default.fileExists(atPath: xmf))
        #expect(!FileManager.default.fileExists(atPath: xmf + ".partial"))
        let items = try XDMFItems.parse(URL(fileURLWithPath: xmf))
        let root = try HDF5File.open(at: out).root()
        let snapshots = try root.read("fields/time")
        #expect(items.times == snapshots.values, "one temporal grid per field snapshot, at its time")
        #expect(items.topologies == ["Polyline"])
        #expect(items.heavy.count == snapshots.shape[0] * 8 + 1, "eight fields per snapshot and the mesh")
        let paths = try items.checkReferences(in: root, file: "short.h5")
        #expect(paths == ["/mesh/y", "/fields/potential", "/fields/filling", "/fields/conductivity", "/fields/charge_density",
                          "/fields/electron_density", "/fields/hole_density", "/fields/electron_potential", "/fields/concentration/H+"])
    }
}

@Suite("2D run files and their XDMF", .serialized)
struct TwoDimensionalOutputTests {
    @Test("a 2D run writes fields on (time, y, x) with their coordinates, and its XDMF 2DRectMesh refers only to datasets that exist, with the stated shapes")
    func xdmf2D() throws {
        let dir = try TemporaryDirectory()
        defer { dir.cleanup() }
        let out = dir.file("cross.h5")
        let r = try runIonics(["run", "configs/examples/wo3-2d-partial-gate.json", "-o", out, "--set", "protocol.pulses=1",
                               "--set", "lateral.smallest=\"5 um\"", "--set", "lateral.max_cell=\"20 um\"", "--set", "lateral.growth=2"])
        #expect(r.status == 0, "\(r.stderr)")
        #expect(r.stdout.contains("mesh        2D: 61 rows × "), "the summary names the 2D mesh: \(r.stdout)")
        let root = try HDF5File.open(at: out).root()
        #expect(try root.attribute("dimension") == .int(2))
        let x = try root.read("mesh/x")
        let y = try root.read("mesh/y")
        let nx = x.shape[0], ny = y.shape[0]
        #expect(nx > 4 && ny > 4)
        #expect(try root.read("mesh/x_faces").shape == [nx + 1])
        #expect(x.values.first! > 0 && x.values.last! < 100e-6, "cell centres inside the 100 µm channel")
        let snapshots = try root.read("fields/time").shape[0]
        for path in ["fields/potential", "fields/filling", "fields/conductivity", "fields/concentration/H+"] {
            #expect(try root.read(path).shape == [snapshots, ny, nx], "\(path)")
        }
        let items = try XDMFItems.parse(URL(fileURLWithPath: dir.file("cross.xmf")))
        #expect(items.topologies == ["2DRectMesh"])
        #expect(items.times.count == snapshots)
        let paths = try items.checkReferences(in: root, file: "cross.h5")
        #expect(paths.isSuperset(of: ["/mesh/x", "/mesh/y", "/fields/potential", "/fields/concentration/H+"]))
        let twoD = try documentedDatasets(twoDOnly: true)
        #expect(twoD.count >= 4)
        for p in twoD { #expect((try? root.openDataset(p)) != nil, "missing dataset \(p)") }
    }
}

/// What an XDMF document refers to: its HDF5 data items (file:path and dimensions),
/// the times of its temporal grids and its topology types.
final class XDMFItems: NSObject, XMLParserDelegate {
    struct Heavy { var reference: String; var dimensions: [Int] }
    var heavy: [Heavy] = []
    var times: [Double] = []
    var topologies: Set<String> = []
    private var current: Heavy?
    private var text = ""

    /// Expects every data item to name `file` and a dataset of `root` with the shape the
    /// item states; returns the dataset paths referred to.
    func checkReferences(in root: HDF5Group, file: String) throws -> Set<String> {
        var paths = Set<String>()
        for item in heavy {
            let parts = item.reference.split(separator: ":", maxSplits: 1).map(String.init)
            #expect(parts.count == 2 && parts[0] == file, "\(item.reference) names another file")
            guard parts.count == 2 else { continue }
            paths.insert(parts[1])
            let d = try root.openDataset(String(parts[1].dropFirst()))
            #expect(try d.shape() == item.dimensions, "\(parts[1]): XDMF says \(item.dimensions)")
        }
        return paths
    }

    static func parse(_ url: URL) throws -> XDMFItems {
        let items = XDMFItems()
        let parser = try #require(XMLParser(contentsOf: url))
        parser.delegate = items
        #expect(parser.parse(), "the XDMF file is not well-formed XML: \(String(describing: parser.parserError))")
        return items
    }

    func parser(_ parser: XMLParser, didStartElement name: String, namespaceURI: String?, qualifiedName: String?,
                attributes: [String: String] = [:]) {
        switch name {
        case "Time": times.append(Double(attributes["Value"] ?? "") ?? .nan)
        case "Topology": topologies.insert(attributes["TopologyType"] ?? "?")
        case "DataItem" where attributes["Format"] == "HDF":
            current = Heavy(reference: "", dimensions: (attributes["Dimensions"] ?? "").split(separator: " ").compactMap { Int($0) })
            text = ""
        default: break
        }
    }

    func parser(_ parser: XMLParser, foundCharacters string: String) { if current != nil { text += string } }

    func parser(_ parser: XMLParser, didEndElement name: String, namespaceURI: String?, qualifiedName: String?) {
        if name == "DataItem", var item = current {
            item.reference = text.trimmingCharacters(in: .whitespacesAndNewlines)
            heavy.append(item)
            current = nil
        }
    }
}
