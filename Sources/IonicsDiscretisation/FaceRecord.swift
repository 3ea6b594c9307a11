import Foundation
import IonicsLinearAlgebra
import IonicsPhysics
import IonicsSolvers
import IonicsUnits

extension PNPDiscretisation {
    /// What crossed each face at one state: species fluxes and electric displacement in
    /// the +y direction, and the terminals' faradaic currents, in SI units.
    public struct FaceRecord: Sendable {
        public let speciesCount: Int
        /// Species flux per face, face-major (`face·speciesCount + species`): scaled
        /// while assembling, mol/(m²·s) once converted.
        public var species: [Double]
        /// Electric displacement D_y = −ε ∂φ/∂y per face (C/m² once converted; 0 where no potential).
        public var displacement: [Double]
        /// Current into the device through each terminal that is not an electrode's
        /// charging (ion transfers, ohmic electron contacts, leakage paths), A/m² once converted.
        public var terminalFaradaic: [Double]
        /// Electron current through each face (+y) of a mixed conductor
        /// (``ElectronTransport``): scaled like `species`·z while assembling, A/m² once converted.
        public var electronCurrent: [Double]
        /// Total source per species (∫s dV, SI).
        public var sources: [Double]

        init(faces: Int, speciesCount: Int, terminals: Int) {
            self.speciesCount = speciesCount
            species = [Double](repeating: 0, count: faces * speciesCount)
            displacement = [Double](repeating: 0, count: faces)
            electronCurrent = [Double](repeating: 0, count: faces)
            terminalFaradaic = [Double](repeating: 0, count: terminals)
            sources = [Double](repeating: 0, count: speciesCount)
        }

        mutating func add(face: Int, species k: Int, _ value: Double) { species[face * speciesCount + k] += value }

        /// Flux of species k through face f (+y).
        public func flux(face f: Int, species k: Int) -> Double { species[f * speciesCount + k] }

        /// Conduction current density F Σ z_k J_k (plus a mixed conductor's electron
        /// current) through face f (+y), A/m².
        public func current(face f: Int, charges: [Int]) -> Double {
            var s = 0.0
            for k in 0..<speciesCount { s += Double(charges[k]) * species[f * speciesCount + k] }
            return PhysicalConstants.faraday * s + electronCurrent[f]
        }

    }

    /// Face fluxes, displacement and terminal faradaic currents of state u at time t (SI, +y).
    /// Face fluxes, displacements and terminal faradaic currents of state u at time t
    /// under `drives` (default: ``standardDrives``), SI units, +y.
    public func faceRecord(_ u: [Double], time t: Double, drives: Drives? = nil) throws -> FaceRecord {
        var rec = FaceRecord(faces: mesh.faceCount, speciesCount: problem.species.count, terminals: layout.terminalCount)
        var f = [Double](repeating: 0, count: layout.size)
        var none: SparseMatrix? = nil
        let drives = drives ?? standardDrives
        try withUnsafeMutablePointer(to: &rec) { try assemble(u, time: t, drives: drives, f: &f, jacobian: &none, record: $0) }
        if continuityPlan.blocks.count == 1 { residualCache.store(state: u, time: t, drives: drives, f: f) }
        let areaScale = pow(scales.length, Double(mesh.dimension) - 1)
        let fluxScale = scales.flux * areaScale
        for i in rec.species.indices { rec.species[i] *= fluxScale / mesh.faceArea[i / rec.speciesCount] }
        let dScale = scales.displacement * areaScale
        for i in rec.displacement.indices { rec.displacement[i] *= dScale / mesh.faceArea[i] }
        for i in rec.electronCurrent.indices { rec.electronCurrent[i] *= PhysicalConstants.faraday * fluxScale / mesh.faceArea[i] }
        for j in rec.terminalFaradaic.indices {
            rec.terminalFaradaic[j] *= PhysicalConstants.faraday * fluxScale
        }
        return rec
    }
}
