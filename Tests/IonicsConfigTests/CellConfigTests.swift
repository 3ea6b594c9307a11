import Foundation
import IonicsConfig
import Testing

/// A plain electrochemical cell: one electrolyte between an electrode and a reservoir,
/// with `LAYER_MESH`, `OUTPUT` and `BOUNDARIES` to replace.
let cellTemplate = """
    {
      "name": "cell",
      "layers": [
        {"name": "electrolyte", "material": "symmetric-1to1", "thickness": "100 nm", "mesh": LAYER_MESH}
      ],
      "boundaries": BOUNDARIES,
      "protocol": {"type": "segments", "segments": [{"duration": "1 ms"}]},
      "output": OUTPUT
    }
    """

let defaultBoundaries = #"{"first": {"type": "electrode", "terminal": "left"}, "last": {"type": "reservoir", "potential": "0 V"}}"#

func cell(mesh: String = #"{"cells": 50}"#, output: String = #"{"times": ["1 us", "1 ms"]}"#, boundaries: String = defaultBoundaries) -> String {
    cellTemplate.replacingOccurrences(of: "LAYER_MESH", with: mesh).replacingOccurrences(of: "OUTPUT", with: output)
        .replacingOccurrences(of: "BOUNDARIES", with: boundaries)
}

/// The one problem `text` has: its key path and message (fails the test unless there is exactly one).
func onlyProblem(_ text: String, sourceLocation: SourceLocation = #_sourceLocation) -> (path: String, message: String) {
    let p = problems(text)
    #expect(p.count == 1, "expected one problem, got \(p)", sourceLocation: sourceLocation)
    return (p.first?.path ?? "", p.first?.message ?? "")
}

@Suite("Cell config: boundaries, mesh grading, output times")
struct CellConfigTests {
    @Test("a valid cell reads: tanh grading, explicit faces, log-spaced times, boundaries")
    func valid() throws {
        let c = try DeviceConfig.parse(
            cell(mesh: #"{"cells": 80, "grading": "tanh", "toward": "first", "stretch": 3.5}"#,
                 output: #"{"times": {"log": ["1 us", "10 ms"], "count": 5}}"#), source: "cell.json")
        let m = c.layers[0].mesh
        #expect(m.grading == .tanh && m.toward == .first && m.stretch == 3.5 && m.cells == 80)
        let t = c.output.times
        #expect(t.count == 5 && abs(t[0] - 1e-6) < 1e-18 && t[4] == 1e-2)
        for (a, b) in zip(t, t.dropFirst()) { #expect(abs(b / a - 10) < 1e-9) }
        #expect(c.boundaries.first?.kind == .electrode && c.boundaries.first?.terminal == "left")
        #expect(c.boundaries.last?.kind == .reservoir && c.boundaries.last?.potential == 0)

        let f = try DeviceConfig.parse(cell(mesh: #"{"faces": [0, "1 nm", "3 nm", "60 nm", "100 nm"]}"#), source: "cell.json")
        let faces = try #require(f.layers[0].mesh.faces)
        #expect(faces.count == 5 && zip(faces, [0, 1e-9, 3e-9, 6e-8, 1e-7]).allSatisfy { abs($0 - $1) <= 1e-15 * $1 })
        let lin = try DeviceConfig.parse(cell(output: #"{"times": {"linear": [0, "4 ms"], "count": 5}}"#), source: "cell.json")
        #expect(lin.output.times == [0, 1e-3, 2e-3, 3e-3, 4e-3])
    }

    @Test("mesh grading errors name the mesh key", arguments: [
        (#"{"cells": 50, "grading": "tahn"}"#, "layers[0].mesh.grading", "did you mean \"tanh\""),
        (#"{"cells": 50, "grading": "tanh"}"#, "layers[0].mesh.grading", "needs stretch"),
        (#"{"cells": 50, "grading": "tanh", "stretch": 0}"#, "layers[0].mesh.stretch", "above 0"),
        (#"{"cells": 50, "grading": "tanh", "stretch": 2, "smallest": "0.1 nm"}"#, "layers[0].mesh.stretch", "not both"),
        (#"{"cells": 50, "grading": "tanh", "stretch": 2, "growth": 1.1}"#, "layers[0].mesh.growth", "only for grading \"geometric\""),
        (#"{"max_cell": "2 nm", "grading": "tanh", "stretch": 2}"#, "layers[0].mesh.max_cell", "needs cells"),
        (#"{"cells": 50, "grading": "tanh", "smallest": "5 nm"}"#, "layers[0].mesh.smallest", "not below thickness/cells"),
        (#"{"cells": 50, "stretch": 2}"#, "layers[0].mesh.stretch", "only for grading \"tanh\""),
        (#"{"cells": 50, "grading": "uniform", "toward": "first"}"#, "layers[0].mesh.toward", "does not apply to a uniform mesh"),
        (#"{"cells": 50, "toward": "middle"}"#, "layers[0].mesh.toward", "is not one of"),
    ])
    func gradingErrors(mesh: String, path: String, message: String) {
        let (p, m) = onlyProblem(cell(mesh: mesh))
        #expect(p == path)
        #expect(m.contains(message), "\(m)")
    }

    @Test("explicit faces must rise strictly inside the layer and stand alone", arguments: [
        (#"{"faces": ["1 nm", "5 nm", "3 nm"]}"#, "layers[0].mesh.faces[2]", "must be greater than faces[1] (\"5 nm\")"),
        (#"{"faces": ["1 nm", "1 nm"]}"#, "layers[0].mesh.faces[1]", "must be greater than faces[0]"),
        (#"{"faces": ["-1 nm", "5 nm"]}"#, "layers[0].mesh.faces[0]", "must not be negative"),
        (#"{"faces": ["10 nm", "50 nm", "150 nm"]}"#, "layers[0].mesh.faces[2]", "outside the layer"),
        (#"{"faces": ["10 nm", "5 V"]}"#, "layers[0].mesh.faces[1]", "expected a length"),
        (#"{"faces": ["10 nm"], "cells": 4}"#, "layers[0].mesh.cells", "cannot be combined with faces"),
    ])
    func faceErrors(mesh: String, path: String, message: String) {
        let (p, m) = onlyProblem(cell(mesh: mesh))
        #expect(p == path)
        #expect(m.contains(message), "\(m)")
    }

    @Test("faces belong to one layer: not in the global mesh")
    func globalFaces() {
        let text = cell().replacingOccurrences(of: "\"layers\": [", with: "\"mesh\": {\"faces\": [\"1 nm\"]},\n  \"layers\": [")
        let (p, m) = onlyProblem(text)
        #expect(p == "mesh.faces" && m.contains("only in a layer's mesh"))
    }

    @Test("output times: not negative, rising, well-formed ranges", arguments: [
        (#"{"times": ["-1 s", "1 ms"]}"#, "output.times[0]", "must not be negative"),
        (#"{"times": ["1 ms", "2 ms", "2 ms"]}"#, "output.times[2]", "must be greater than times[1] (\"2 ms\")"),
        (#"{"times": ["1 ms", "3 V"]}"#, "output.times[1]", "expected a time"),
        (#"{"times": []}"#, "output.times", "at least one"),
        (#"{"times": {"log": [0, "1 s"], "count": 10}}"#, "output.times.log[0]", "must be positive for log-spaced"),
        (#"{"times": {"linear": ["-1 s", "1 s"], "count": 10}}"#, "output.times.linear[0]", "must not be negative"),
        (#"{"times": {"log": ["1 s", "1 ms"], "count": 10}}"#, "output.times.log[1]", "greater than the first"),
        (#"{"times": {"log": ["1 us", "1 s"]}}"#, "output.times.count", "missing"),
        (#"{"times": {"log": ["1 us", "1 s"], "count": 1}}"#, "output.times.count", "between 2 and 100000"),
        (#"{"times": {"log": ["1 us"], "count": 4}}"#, "output.times.log", "needs two times"),
        (#"{"times": {"log": ["1 us", "1 s"], "linear": ["1 us", "1 s"], "count": 4}}"#, "output.times", "exactly one of"),
        (#"{"times": "often"}"#, "output.times", "expected a list of times"),
    ])
    func outputTimeErrors(output: String, path: String, message: String) {
        let (p, m) = onlyProblem(cell(output: output))
        #expect(p == path)
        #expect(m.contains(message), "\(m)")
    }

    @Test("boundary errors name the boundary key", arguments: [
        (#"{"first": {"type": "electrod", "terminal": "left"}}"#, "boundaries.first.type", "did you mean \"electrode\""),
        (#"{"first": {"type": "electrode"}}"#, "boundaries.first.terminal", "missing"),
        (#"{"last": {"type": "reservoir", "stern_capacitance": "10 uF/cm^2"}}"#, "boundaries.last.stern_capacitance",
         "does not apply to a \"reservoir\" boundary"),
        (#"{"last": {"type": "reservoir", "potental": "0 V"}}"#, "boundaries.last.potental", "did you mean \"potential\""),
        (#"{"last": {"type": "reservoir", "potential": "1 nm"}}"#, "boundaries.last.potential", "expected a voltage"),
        (#"{"first": {"type": "concentration"}}"#, "boundaries.first.concentrations", "missing"),
        (#"{"first": {"type": "concentration", "concentrations": {"Na+": 0}}}"#, "boundaries.first.concentrations.Na+", "must be positive"),
        (#"{"first": {"type": "concentration", "concentrations": {}}}"#, "boundaries.first.concentrations", "at least one species"),
        (#"{"first": {"type": "concentration", "concentrations": {"Na+": "1 mM"}, "initial_concentrations": {"Cl-": "1 mM"}}}"#,
         "boundaries.first.initial_concentrations", "not one of the fixed species"),
        (#"{"middle": {"type": "blocking"}}"#, "boundaries.middle", "unknown key"),
    ])
    func boundaryErrors(boundaries: String, path: String, message: String) {
        let (p, m) = onlyProblem(cell(boundaries: boundaries))
        #expect(p == path)
        #expect(m.contains(message), "\(m)")
    }
}
