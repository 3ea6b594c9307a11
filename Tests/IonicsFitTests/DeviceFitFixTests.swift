import Foundation
import IonicsFit
import IonicsTestSupport
import Testing

extension DeviceFitTests {
    static func model(_ parameter: String) throws -> FitModel {
        let dir = try TemporaryDirectory()
        defer { dir.cleanup() }
        let spec = try FitSpec.parse(CheapDevice.fitText(parameters: "[\(parameter)]", data: #"[{"file": "g.csv"}]"#), source: dir.file("fit.json"))
        return try FitModel(spec: spec)
    }

    /// `"initial": "20 S/m"` on a thickness used to run a 20 m channel and write "20 S/m"
    /// into the fitted config: values now reach the config with their unit, and every
    /// initial value and bound goes through the config reader before any run.
    @Test("a parameter's unit is checked against its key before any run; values reach the config with their unit")
    func unitsChecked() throws {
        let wrong = try Self.model(#"{"path": "layers[2].thickness", "initial": "20 S/m", "lower": "1 S/m", "upper": "100 S/m", "scale": "log"}"#)
        do {
            try wrong.checkParameters()
            Issue.record("a conductivity on a thickness was accepted")
        } catch {
            #expect("\(error)".contains("parameters[0].initial (layers[2].thickness = 20 S/m)"), "\(error)")
        }
        let negative = try Self.model(#"{"path": "layers[2].thickness", "initial": "50 nm", "lower": "-10 nm", "upper": "100 nm"}"#)
        do {
            try negative.checkParameters()
            Issue.record("a negative thickness bound was accepted")
        } catch {
            #expect("\(error)".contains("parameters[0].lower"), "\(error)")
        }
        let good = try Self.model(#"{"path": "layers[2].thickness", "initial": "50 nm", "lower": "10 nm", "upper": "100 nm", "scale": "log"}"#)
        try good.checkParameters()
        let last = good.assignments([4.2e-8]).last ?? ""
        #expect(last.hasPrefix(#"layers[2].thickness="4"#) && last.hasSuffix(#" nm""#), "\(last)")
        let fitted = try FitOutputs.fittedConfig(model: good, values: [4.2e-8])
        #expect(fitted.contains(#""42 nm""#))
    }
}
