public import IonicsLinearAlgebra
public import IonicsSolvers

/// A ``PNPDiscretisation`` under given ``Drives``: the differential–algebraic system the
/// integrator advances over one protocol segment. A value: a new segment is a new
/// `DrivenPNP` of the same discretisation, nothing is mutated.
public struct DrivenPNP: DifferentialAlgebraicSystem, Sendable {
    public let discretisation: PNPDiscretisation
    public let drives: Drives
    /// M = v̂·t0 on Nernst–Planck rows, t0 on the charge rows of current-controlled
    /// terminals, 0 on algebraic rows.
    public let mass: [Double]

    public init(_ discretisation: PNPDiscretisation, drives: Drives) {
        precondition(drives.controls.count == discretisation.layout.terminalCount, "one control per terminal")
        self.discretisation = discretisation
        self.drives = drives
        mass = PNPDiscretisation.massVector(
            layout: discretisation.layout, volume: discretisation.volume, controls: drives.controls,
            t0: discretisation.scales.time, resistive: discretisation.resistiveTerminal)
    }

    public var size: Int { discretisation.size }
    public var unknownKinds: [UnknownKind] { discretisation.unknownKinds }
    public var sparsity: SparsityPattern { discretisation.sparsity }

    public func evaluate(_ u: [Double], time: Double, f: inout [Double], jacobian: inout SparseMatrix?) throws {
        // The residual of the last face record, when it was made at this point (``ResidualCache``).
        if jacobian == nil && discretisation.residualCache.load(state: u, time: time, drives: drives, into: &f) { return }
        try discretisation.assemble(u, time: time, drives: drives, f: &f, jacobian: &jacobian)
    }

    public var monitoredQuantities: [MonitoredQuantity] { discretisation.monitoredQuantities }
    public func monitoredValues(_ u: [Double], time: Double) -> [Double] {
        discretisation.monitoredValues(u, time: time, drives: drives)
    }

    public func describe(row index: Int) -> String { discretisation.describe(row: index) }
    public func equationName(row index: Int) -> String { discretisation.equationName(row: index) }

    /// Face fluxes, displacements and faradaic currents under these drives (SI).
    public func faceRecord(_ u: [Double], time: Double) throws -> PNPDiscretisation.FaceRecord {
        try discretisation.faceRecord(u, time: time, drives: drives)
    }
}

extension PNPDiscretisation {
    /// This discretisation under `drives`.
    public func driven(by drives: Drives) -> DrivenPNP { DrivenPNP(self, drives: drives) }
}
