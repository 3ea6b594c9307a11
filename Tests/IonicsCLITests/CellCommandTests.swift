import Foundation
import IonicsHDF5
import IonicsTestSupport
import Testing

/// The example cells through the command line: `ionics validate`, `ionics run` and the
/// `samples/` series of the run file.
@Suite("ionics run on the example cells")
struct CellCommandTests {
    @Test("each example validates, runs, prints its boundary series and writes samples/ at every output time",
          arguments: [("gouy-chapman", 25), ("bta-charging", 60), ("cottrell", 31)])
    func example(name: String, times: Int) throws {
        let config = "configs/examples/\(name).json"
        let v = try runIonics(["validate", config])
        #expect(v.status == 0, "\(v.stderr)")
        let dir = try TemporaryDirectory()
        defer { dir.cleanup() }
        let out = dir.file("\(name).h5")
        let r = try runIonics(["run", config, "-o", out])
        #expect(r.status == 0, "\(r.stderr)")
        #expect(r.stdout.contains("boundaries  first:") && r.stdout.contains("samples     \(times) output times"))
        #expect(!r.stdout.contains("Gmin"))
        let root = try HDF5File.open(at: out).root()
        #expect(try root.stringAttribute("status") == "completed")
        let t = try root.read("samples/time").values
        #expect(t.count == times)
        #expect(zip(t, t.dropFirst()).allSatisfy { $0 < $1 })
        for side in ["first", "last"] {
            for q in ["charge", "current"] { #expect(try root.read("samples/\(side)/\(q)").values.count == times) }
        }
        // A field snapshot at every output time (after the initial one).
        let fieldTimes = try root.read("fields/time").values
        #expect(fieldTimes.count == times + 1)
    }

    @Test("the Cottrell run file holds the flux into the slab, falling like 1/√t at early times")
    func cottrellFlux() throws {
        let dir = try TemporaryDirectory()
        defer { dir.cleanup() }
        let out = dir.file("cottrell.h5")
        let r = try runIonics(["run", "configs/examples/cottrell.json", "-o", out])
        #expect(r.status == 0, "\(r.stderr)")
        let root = try HDF5File.open(at: out).root()
        let t = try root.read("samples/time").values
        let j = try root.read("samples/first/flux/O").values
        // Depletion: the flux into the slab is negative; J√t is constant while the slab looks semi-infinite
        // (Cottrell: J = (c_s − c0)√(D/πt)).
        let expected = (1e-3 - 1.0) * (1e-9 / Double.pi).squareRoot()
        for k in 0..<5 { #expect(relativeError(j[k] * t[k].squareRoot(), expected) < 2e-3, "t = \(t[k])") }
        #expect(try root.read("samples/first/current").values.allSatisfy { $0 == 0 })
    }

    @Test("a cell config error names its key path on the command line")
    func configError() throws {
        let dir = try TemporaryDirectory()
        defer { dir.cleanup() }
        let path = dir.file("cell.json")
        let text = try String(contentsOfFile: repositoryRoot() + "/configs/examples/gouy-chapman.json", encoding: .utf8)
            .replacingOccurrences(of: #""count": 25"#, with: #""count": 0"#)
            .replacingOccurrences(of: #""grading": "tanh""#, with: #""grading": "sinh""#)
        try text.write(toFile: path, atomically: true, encoding: .utf8)
        let r = try runIonics(["validate", path, "--materials", repositoryRoot() + "/configs/materials"])
        #expect(r.status == 1)
        #expect(r.stderr.contains("layers[0].mesh.grading: \"sinh\" is not one of"))
        #expect(r.stderr.contains("output.times.count: must be between 2 and 100000, got 0"))
    }
}
