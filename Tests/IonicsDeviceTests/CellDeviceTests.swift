import Foundation
import IonicsConfig
import IonicsDevice
import IonicsDiscretisation
import IonicsPhysics
import IonicsTestSupport
import Testing

func example(_ name: String) -> String { repositoryRoot() + "/configs/examples/\(name).json" }

/// A 1:1 electrolyte cell with a mesh, boundaries and extra top-level keys to fill in.
func cellConfig(mesh: String = #"{"cells": 40}"#, boundaries: String, extra: String = "") -> String {
    """
    {
      "name": "cell",
      "layers": [{"name": "electrolyte", "material": "symmetric-1to1", "thickness": "100 nm", "mesh": \(mesh)}],
      "boundaries": \(boundaries),
      "protocol": {"type": "segments", "segments": [{"duration": "1 us"}]}\(extra)
    }
    """
}

let electrodeReservoir = #"{"first": {"type": "electrode", "terminal": "left"}, "last": {"type": "reservoir"}}"#

@Suite("Cells: boundaries and graded meshes")
struct CellDeviceTests {
    @Test("the examples build into the boundary laws they describe")
    func examplesBuild() throws {
        let gc = try DeviceLoader.load(example("gouy-chapman"))
        guard let electrode = gc.problem.first.potential as? TerminalContact, electrode.sternCapacitance == nil,
              electrode.potentialOfZeroCharge == 0, let v = (gc.problem.last.potential as? IdealMetalContact)?.potential else {
            Issue.record("Gouy–Chapman: expected an electrode first and a reservoir last")
            return
        }
        #expect(gc.terminalNames[electrode.terminal] == "electrode" && v(1) == 0)
        #expect(gc.problem.last.species.count == 2 && gc.problem.first.species.isEmpty)
        #expect(gc.readout.mode == .off && gc.area == 1)
        #expect(gc.boundaryLabels == ["electrode (terminal electrode)", "reservoir at 0 V"])

        let cottrell = try DeviceLoader.load(example("cottrell"))
        guard let c = cottrell.problem.first.species[0]?.concentration, cottrell.problem.last.potential is ZeroFieldContact else {
            Issue.record("Cottrell: expected a fixed concentration first and a blocking boundary last")
            return
        }
        // The step: the layer's 1 mM before the protocol (the initial equilibrium), 1 µM from t = 0.
        #expect(c(Simulation.timeBeforeProtocol) == 1 && abs(c(0) - 1e-3) < 1e-15 && abs(c(1) - 1e-3) < 1e-15)

        let bta = try DeviceLoader.load(example("bta-charging"))
        #expect(bta.terminalNames == ["left", "right"])
    }

    @Test("tanh meshes reach the requested smallest cell at the graded faces", arguments: ["first", "last", "both"])
    func tanhSmallest(toward: String) throws {
        let device = try makeDevice(cellConfig(mesh: #"{"cells": 60, "grading": "tanh", "toward": "\#(toward)", "smallest": "0.01 nm"}"#,
                                               boundaries: electrodeReservoir))
        let w = device.mesh.cells.map(\.volume)
        #expect(w.count == 60)
        #expect(abs(w.reduce(0, +) - 1e-7) < 1e-20)
        if toward != "last" { #expect(relativeError(w[0], 1e-11) < 1e-8) }
        if toward != "first" { #expect(relativeError(w[59], 1e-11) < 1e-8) }
        // Smooth: neighbouring cells differ by less than the stretching allows (no jumps).
        for (a, b) in zip(w, w.dropFirst()) { #expect(max(a / b, b / a) < 1.5) }
    }

    @Test("explicit faces and uniform meshes are taken as written")
    func explicitFaces() throws {
        let faces = try makeDevice(cellConfig(mesh: #"{"faces": ["1 nm", "3 nm", "10 nm", "40 nm", "100 nm"]}"#, boundaries: electrodeReservoir))
        let positions = faces.mesh.cells.map(\.lower) + [faces.mesh.cells.last!.upper]
        #expect(zip(positions, [0, 1e-9, 3e-9, 1e-8, 4e-8, 1e-7]).allSatisfy { abs($0 - $1) < 1e-21 })
        let uniform = try makeDevice(cellConfig(mesh: #"{"max_cell": "3 nm", "grading": "uniform"}"#, boundaries: electrodeReservoir))
        #expect(uniform.mesh.cellCount == 34)
        #expect(uniform.mesh.cells.allSatisfy { relativeError($0.volume, 1e-7 / 34) < 1e-9 })
    }

    @Test("builder problems name the config key", arguments: [
        (cellConfig(boundaries: #"{"first": {"type": "electrode", "terminal": "a"}, "last": {"type": "reservoir", "concentrations": {"K+": "1 mM"}}}"#),
         "boundaries.last.concentrations.K+", "has no species \"K+\""),
        (cellConfig(boundaries: #"{"first": {"type": "electrode", "terminal": "a"}, "last": {"type": "reservoir", "concentrations": {"Na+": "1 mM", "Cl-": "2 mM"}}}"#),
         "boundaries.last.concentrations", "not neutral"),
        (cellConfig(boundaries: #"{"first": {"type": "blocking"}, "last": {"type": "concentration", "concentrations": {"Na+": "1 mM"}}}"#),
         "boundaries", "nothing fixes the potential"),
        (cellConfig(boundaries: electrodeReservoir, extra: #", "output": {"times": ["0.5 us", "2 us"]}"#),
         "output.times", "after the end of the protocol"),
        (cellConfig(boundaries: electrodeReservoir, extra: #", "terminals": {"right": {"initial": "open"}}"#),
         "terminals.right", "unknown terminal"),
    ])
    func builderProblems(config: String, path: String, message: String) {
        let p = buildProblems(config)
        #expect(p.count == 1, "\(p)")
        #expect(p.first?.path == path)
        #expect(p.first?.message.contains(message) == true, "\(p)")
    }

    @Test("a boundary cannot be both a metal layer and a boundaries entry; electrodes need an electrolyte")
    func conflicts() {
        let metal = """
            {"name": "m", "layers": [{"name": "au", "material": "Au"}, {"name": "e", "material": "symmetric-1to1", "thickness": "100 nm"}],
             "boundaries": {"first": {"type": "electrode", "terminal": "x"}, "last": {"type": "reservoir"}},
             "protocol": {"type": "segments", "segments": [{"duration": "1 us"}]}}
            """
        #expect(buildProblems(metal).contains { $0.path == "boundaries.first" && $0.message.contains("is a metal") })
        let host = """
            {"name": "h", "geometry": {"width": "1 um", "length": "1 um"},
             "layers": [{"name": "e", "material": "nafion", "thickness": "100 nm"}, {"name": "c", "material": "WO3", "thickness": "20 nm", "filling": 0.1}],
             "boundaries": {"first": {"type": "reservoir"}, "last": {"type": "electrode", "terminal": "x"}},
             "protocol": {"type": "segments", "segments": [{"duration": "1 us"}]}}
            """
        #expect(buildProblems(host).contains { $0.path == "boundaries.last.type" && $0.message.contains("needs an electrolyte or a dielectric") })
    }
}
