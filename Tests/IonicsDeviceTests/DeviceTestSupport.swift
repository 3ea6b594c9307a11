import Foundation
import IonicsConfig
import IonicsDevice
import IonicsTestSupport

/// Builds a device from config JSON, with the repository's materials plus any extra
/// material files given as (name, JSON) pairs.
func makeDevice(_ json: String, materials extra: [(String, String)] = [], overrides: [String] = []) throws -> Device {
    let dir = try TemporaryDirectory("ionics-materials")
    defer { dir.cleanup() }
    for (name, text) in extra { try text.write(toFile: dir.file(name + ".json"), atomically: true, encoding: .utf8) }
    let text = try ConfigOverrides.apply(overrides, to: json)
    let config = try DeviceConfig.parse(text, source: "test.json")
    let library = MaterialLibrary(folders: [dir.path, repositoryRoot() + "/configs/materials"])
    return try DeviceBuilder.build(config, materials: library, source: "test.json")
}

/// The default device's config text.
func defaultConfigText() throws -> String {
    try String(contentsOfFile: repositoryRoot() + "/configs/default.json", encoding: .utf8)
}

/// Problems a config produces (empty when it builds).
func buildProblems(_ json: String, materials extra: [(String, String)] = [], overrides: [String] = []) -> [ConfigProblem] {
    do {
        _ = try makeDevice(json, materials: extra, overrides: overrides)
        return []
    } catch let e as ConfigError {
        return e.problems
    } catch {
        return [ConfigProblem(path: "?", message: "\(error)")]
    }
}

/// Records every step, read and pulse of a run.
final class Recorder: SimulationObserver {
    var steps: [StepSummary] = []
    var states: [[Double]] = []
    var reads: [Reading] = []
    var pulses: [PulseRecord] = []
    var keepStates = false
    func stepAccepted(_ step: StepSummary, state: [Double]) throws {
        steps.append(step)
        if keepStates { states.append(state) }
    }
    func readTaken(_ reading: Reading, state: [Double]) throws { reads.append(reading) }
    func pulseFinished(_ pulse: PulseRecord) throws { pulses.append(pulse) }
}

/// A symmetric host | electrolyte | host stack for mirror and open-circuit tests.
let symmetricStack = """
    {
      "name": "symmetric",
      "geometry": {"width": "10 um", "length": "10 um"},
      "layers": [
        {"name": "left", "material": "WO3", "thickness": "20 nm", "filling": 0.02, "terminal": "left"},
        {"name": "electrolyte", "material": "nafion", "thickness": "200 nm"},
        {"name": "right", "material": "WO3", "thickness": "20 nm", "filling": 0.02, "terminal": "right"}
      ],
      "terminals": {"left": {"initial": {"voltage": 0}}, "right": {"initial": {"voltage": 0}}},
      "readout": {"mode": "lateral", "layer": "right"},
      "protocol": {"type": "segments", "segments": [
        {"duration": "2 ms", "terminals": {"left": {"voltage": "0.1 V"}}, "read": true},
        {"duration": "2 ms", "terminals": {"left": {"voltage": "0 V"}}, "read": true}
      ]}
    }
    """
