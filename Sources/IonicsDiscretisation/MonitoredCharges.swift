import IonicsPhysics
import IonicsSolvers

extension PNPDiscretisation {
    /// The diffuse-layer charge on every electrode face held at a fixed potential (an
    /// electrode that is not a terminal), as quantities the integrator monitors:
    /// q̂ = g·(V̂(t) − Û_pzc − φ̂_a) in units of ε0·V_T/L0 per face area, with g the face's
    /// half-cell and Stern conductance; absolute tolerance the potentials' times the face's
    /// reference capacitance (``referenceCapacitance``). A terminal's charge is an unknown of the state
    /// and is weighted as such, or, for a terminal without circuit unknowns, monitored as
    /// that unknown would be (``monitoredTerminalCharges(faceKinds:layout:terminalElectrodes:terminalScale:)``). This is the charge users read (electrode charge, q(t) of a
    /// charging cell); its error is not bounded by the potentials' weights, because on a
    /// fine mesh V − φ_a is a small difference of two potentials of order one.
    static func monitoredCharges(
        faceKinds: [FaceKind], layout: StateLayout, capacitance: (Electrode) -> Double
    ) -> (faces: [Int], quantities: [MonitoredQuantity]) {
        var faces: [Int] = []
        var quantities: [MonitoredQuantity] = []
        for (fi, kind) in faceKinds.enumerated() {
            guard case .electrode(let e) = kind, e.g0 != 0 else { continue }
            let pa = layout.potential[e.cell]
            guard pa >= 0 else { continue }
            // A terminal's charge is an unknown of its own, already under error control.
            guard case .fixed = e.source else { continue }
            faces.append(fi)
            quantities.append(MonitoredQuantity(indices: [pa], coefficients: [-e.g], scale: capacitance(e)))
        }
        return (faces, quantities)
    }

    /// Values of ``monitoredQuantities`` at (u, t) under `drives`: the fixed electrodes'
    /// charges, then the charges of the terminals without circuit unknowns.
    public func monitoredValues(_ u: [Double], time: Double, drives: Drives) -> [Double] {
        u.withUnsafeBufferPointer { ub in
            monitoredFaces.map { fi in
                guard case .electrode(let e) = faceKinds[fi] else { return 0 }
                let (v, _) = sourcePotential(e.source, ub, time, drives: drives)
                return e.g * (v - e.pzc - ub[layout.potential[e.cell]])
            } + monitoredTerminals.map { electrodeCharge($0, ub, time: time, drives: drives) }
        }
    }

    public func monitoredValues(_ u: [Double], time: Double) -> [Double] {
        monitoredValues(u, time: time, drives: standardDrives)
    }

    /// Diffuse-layer capacitance εr·â/λ̂ at electrode face `e` (scaled), in series with
    /// its Stern layer: λ̂ the Debye length of the initial ions of the electrolyte cell's
    /// layer, λ̂² = εr/(κ Σ z² ĉ), or the layer's thickness when it holds no ions.
    static func referenceCapacitance(_ e: Electrode, problem: PNPProblem, mesh: Mesh, area: Double, scales: Scales) -> Double {
        let layer = problem.layers[mesh.cellRegion[e.cell]]
        let strength = layer.species.reduce(0.0) { sum, sp in
            let z = Double(problem.species[sp.species].charge)
            return sum + z * z * sp.initialConcentration / scales.concentration
        }
        let lambda = strength > 0
            ? (layer.permittivity / (scales.poissonCoupling * strength)).squareRoot()
            : layer.thickness / scales.length
        let diffuse = area * layer.permittivity / lambda
        return 1 / (1 / diffuse + 1 / e.sternArea)
    }
}
