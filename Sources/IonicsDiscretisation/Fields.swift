import Foundation
import IonicsLinearAlgebra
import IonicsPhysics
import IonicsSolvers
import IonicsUnits

// Physical fields of a state vector, in SI units, for output and diagnostics.

extension PNPDiscretisation {
    /// The initial state: uniform initial concentrations, zero potentials and charges.
    public func initialState() -> [Double] {
        var u = [Double](repeating: 0, count: layout.size)
        for i in 0..<mesh.cellCount {
            let layer = problem.layers[mesh.cellRegion[i]]
            for (k, sp) in layer.species.enumerated() {
                u[layout.concentration(i, k)] = sp.initialConcentration / scales.concentration
            }
        }
        return u
    }

    /// Potential in volts per cell (NaN where no potential is solved).
    public func potential(_ u: [Double]) -> [Double] {
        (0..<mesh.cellCount).map { i in layout.potential[i] >= 0 ? u[layout.potential[i]] * scales.thermalVoltage : .nan }
    }

    /// Electron (quasi-Fermi) potential φ_n in volts per cell of a host with electron
    /// transport (``ElectronTransport``), NaN elsewhere.
    public func electronPotential(_ u: [Double]) -> [Double] {
        (0..<mesh.cellCount).map { i in layout.electron[i] >= 0 ? u[layout.electron[i]] * scales.thermalVoltage : .nan }
    }

    /// Concentration of `species` in mol/m³ per cell (NaN where absent).
    public func concentration(_ u: [Double], species: Int) -> [Double] {
        (0..<mesh.cellCount).map { i in
            let layer = problem.layers[mesh.cellRegion[i]]
            guard let slot = layer.slot(of: species) else { return .nan }
            return u[layout.concentration(i, slot)] * scales.concentration
        }
    }

    /// Filling θ of every host cell (NaN outside hosts).
    public func filling(_ u: [Double]) -> [Double] {
        (0..<mesh.cellCount).map { filling(u, cell: $0) }
    }

    /// The filling θ of cell `i` (NaN outside hosts).
    public func filling(_ u: [Double], cell i: Int) -> Double {
        guard let host = hosts[mesh.cellRegion[i]] else { return .nan }
        return u[layout.firstSpecies[i]] / host.cmax
    }

    /// Electron density per cell, m⁻³ (NaN outside semiconductors), at time `time` (s)
    /// under `drives` (needed when the electrons' terminal is held at a voltage and so has
    /// no unknown; ``terminalState(_:_:time:drives:)``).
    public func electronDensity(_ u: [Double], time: Double = 0, drives: Drives? = nil) -> [Double] {
        carrierDensity(u, time: time, drives: drives) { $0.electrons($1) }
    }

    /// Hole density per cell, m⁻³ (NaN outside semiconductors, 0 in one without a
    /// valence band); `time` and `drives` as for ``electronDensity(_:time:drives:)``.
    public func holeDensity(_ u: [Double], time: Double = 0, drives: Drives? = nil) -> [Double] {
        carrierDensity(u, time: time, drives: drives) { $0.holes($1) }
    }

    /// Per layer, the scaled potential of its semiconductor's terminal (nil without one).
    func carrierTerminalPotentials(_ u: [Double], time: Double, drives: Drives?) -> [Double?] {
        electrons.map { e in e.map { terminalState(u, $0.terminal, time: time, drives: drives).potential / scales.thermalVoltage } }
    }

    /// `density(carriers, η)` (scaled) in every semiconductor cell, in m⁻³; NaN elsewhere.
    func carrierDensity(_ u: [Double], time: Double, drives: Drives?, _ density: (Electrons, Double) -> Double) -> [Double] {
        let vts = carrierTerminalPotentials(u, time: time, drives: drives)
        return (0..<mesh.cellCount).map { i in
            guard let e = electrons[mesh.cellRegion[i]], layout.potential[i] >= 0 else { return .nan }
            return density(e, u[layout.potential[i]] - vts[mesh.cellRegion[i]]! - e.offset) * PhysicalConstants.avogadro * scales.concentration
        }
    }

    /// Amount of each species per unit area, mol/m².
    public func inventories(_ u: [Double]) -> [Double] {
        var n = [Double](repeating: 0, count: problem.species.count)
        // (The layout's species indices per layer: reading problem.layers[l] would copy the
        // whole layer, strings and arrays, for every cell; the conservation monitor calls this
        // twice per step. The layer's index array is bound once per run of its cells, not
        // retained and released per cell.)
        let scale = scales.concentration
        let layerSpecies = layout.layerSpecies
        let (cellLayer, firstSpecies, volume) = (layout.cellLayer, layout.firstSpecies, mesh.cellVolume)
        var layer = -1
        var species: [Int] = []
        for i in 0..<mesh.cellCount {
            if cellLayer[i] != layer {
                layer = cellLayer[i]
                species = layerSpecies[layer]
            }
            let first = firstSpecies[i]
            for k in species.indices {
                n[species[k]] += u[first + k] * volume[i] * scale
            }
        }
        return n
    }

    /// Amount of each species per unit area in layer l, mol/m².
    public func inventory(_ u: [Double], layer l: Int) -> [Double] {
        var n = [Double](repeating: 0, count: problem.species.count)
        for i in mesh.cells(inLayer: l) {
            for (k, sp) in problem.layers[l].species.enumerated() {
                n[sp.species] += u[layout.concentration(i, k)] * mesh.cellVolume[i] * scales.concentration
            }
        }
        return n
    }

    /// Charge density per cell, C/m³ (mobile ions, fixed charge, donors, electrons and
    /// holes; zero in neutral layers); `time` and `drives` as for
    /// ``electronDensity(_:time:drives:)``.
    public func chargeDensity(_ u: [Double], time: Double = 0, drives: Drives? = nil) -> [Double] {
        let vts = carrierTerminalPotentials(u, time: time, drives: drives)
        return (0..<mesh.cellCount).map { i in
            let l = mesh.cellRegion[i]
            guard layout.potential[i] >= 0 else { return 0 }
            var rho = layerFixed[l]
            for (k, z) in layerCharge[l].enumerated() { rho += z * u[layout.concentration(i, k)] }
            if let e = electrons[l] {
                rho += e.doping + e.charge(u[layout.potential[i]] - vts[l]! - e.offset).value
            }
            return PhysicalConstants.faraday * scales.concentration * rho
        }
    }
}
