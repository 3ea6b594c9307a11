import Foundation
import IonicsHDF5
import IonicsTestSupport
import Testing

@Suite("ionics fit", .serialized)
struct FitCommandTests {
    /// Synthesize, fit, and check the fitted config and the HDF5; then the refusals.
    @Test("synthesize then fit a cheap variant end to end: fitted config, HDF5 with data, model and covariance")
    func endToEnd() throws {
        let dir = try TemporaryDirectory()
        defer { dir.cleanup() }
        let fit = CheapDevice.fitText(
            parameters: """
                [{"path": "layers[2].conductivity.value[0]", "initial": "20 S/m", "lower": "2 S/m", "upper": "100 S/m", "scale": "log"},
                 {"path": "interfaces[0].exchange_current", "initial": "5 mA/cm^2", "lower": "0.5 mA/cm^2", "upper": "200 mA/cm^2", "scale": "log"}]
                """,
            data: #"[{"file": "data/g.csv"}, {"file": "data/v.csv"}]"#)
        try fit.write(toFile: dir.file("fit.json"), atomically: true, encoding: .utf8)
        let truth = """
            {"values": {"layers[2].conductivity.value[0]": "10 S/m", "interfaces[0].exchange_current": "20 mA/cm^2"},
             "datasets": [{"column": "G (uS)", "pulses": [1, 4]},
                          {"column": "V_gate (mV)", "time_unit": "ms", "times": {"start": "41 ms", "stop": "79 ms", "count": 20}}]}
            """
        try truth.write(toFile: dir.file("truth.json"), atomically: true, encoding: .utf8)
        let s = try runIonics(["fit", "fit.json", "--synthesize", "truth.json", "--noise", "1%", "--seed", "7"], in: dir.path)
        #expect(s.status == 0, "\(s.stderr)")
        let csv = try String(contentsOfFile: dir.file("data/v.csv"), encoding: .utf8)
        #expect(csv.contains("t (ms),V_gate (mV),sigma_V_gate (mV)"))
        // A second synthesis refuses to overwrite the data.
        #expect(try runIonics(["fit", "fit.json", "--synthesize", "truth.json"], in: dir.path).status == 2)

        let r = try runIonics(["fit", "fit.json", "-o", "fit.h5", "--config-output", "fitted.json", "--jobs", "2"], in: dir.path)
        #expect(r.status == 0, "\(r.stderr)")
        #expect(r.stdout.contains("95 % interval") && r.stdout.contains("χ²/dof"))
        #expect(r.stderr.contains("iteration  1"))
        let fitted = try String(contentsOfFile: dir.file("fitted.json"), encoding: .utf8)
        #expect(fitted.contains("\"exchange_current\": \"") && fitted.contains("mA/cm^2"))
        #expect(fitted.contains("\"pulses\": 2"))
        let file = try HDF5File.open(at: dir.file("fit.h5"))
        defer { file.close() }
        let root = try file.root()
        let value = try root.read("parameters/value").values
        #expect(abs(value[0] / 10 - 1) < 0.1 && abs(value[1] / 20e1 - 1) < 0.2, "\(value)")
        #expect(try root.read("parameters/covariance").shape == [2, 2])
        #expect(try root.openDataset("parameters/path").readStrings() == ["layers[2].conductivity.value[0]", "interfaces[0].exchange_current"])
        #expect(try root.openDataset("parameters/unit").readStrings() == ["S/m", "mA/cm^2"])
        // No warnings: an empty list, not [""].
        let warnings = try root.attribute("warnings")
        #expect(warnings == .strings([]), "\(warnings)")
        #expect(try root.read("datasets/d1/t").values.count == 20)
        #expect(try root.read("datasets/d1/model").values.count == 20)
        #expect(try root.read("history/cost").values.count >= 2)
        #expect(try root.openDataset("datasets/d0/data").stringAttribute("units") == "uS")

        // Outputs are never overwritten without --force; a bad fit file exits 1 naming the key.
        let again = try runIonics(["fit", "fit.json", "--config-output", "fitted.json"], in: dir.path)
        #expect(again.status == 2 && again.stderr.contains("refusing to overwrite"))
        try #"{"base": "x.json", "parameters": [], "data": []}"#.write(toFile: dir.file("bad.json"), atomically: true, encoding: .utf8)
        let bad = try runIonics(["fit", "bad.json"], in: dir.path)
        #expect(bad.status == 1 && bad.stderr.contains("base: no such file") && bad.stderr.contains("parameters: give at least one parameter"))
    }
}
