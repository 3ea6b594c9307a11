public import IonicsLinearAlgebra

/// The steady electronic current problem ∇·(σ∇ψ) = 0 on a mesh: the conductance between
/// two contacts through a conductor whose conductivity σ varies from cell to cell (a
/// channel with a non-uniform ion content). Cells with σ = 0 (or not finite) do not
/// conduct; faces tagged `source` are held at ψ = 1 V and faces tagged `drain` at 0, every
/// other boundary carries no current.
///
/// Finite volumes with two-point fluxes: across an interior face the conductance
/// A/(d_a/σ_a + d_b/σ_b) (harmonic mean, exact for piecewise-constant σ with jumps on
/// faces), at a contact face σ_a·A/d_a. The system is symmetric positive definite;
/// it is factored by the linear solver of `solver` (UMFPACK for 2D patterns).
public enum ElectronicConduction {
    public enum Failure: Error, Sendable, Equatable {
        /// No conducting cell touches a contact face of this tag.
        case noContact(String)
        /// The linear solve failed (e.g. a conducting island touching no contact).
        case singular(String)
    }

    /// Conductance between the `source` and `drain` faces, S (per metre of depth in 2D;
    /// per m² of cross-section in 1D), for cell conductivities `sigma` (S/m). Builds the
    /// pattern and its analysis each time: readouts that solve repeatedly on the same
    /// conductor keep a ``Path``.
    public static func conductance(
        mesh: Mesh, sigma: [Double], source: String, drain: String, solver: LinearSolverKind = .automatic
    ) throws -> Double {
        precondition(sigma.count == mesh.cellCount, "one conductivity per cell")
        let path = try Path(mesh: mesh, conducting: sigma.map { $0.isFinite && $0 > 0 }, source: source, drain: drain, solver: solver)
        return try path.conductance(sigma)
    }

    /// One conductor between two contacts: which cells conduct, the faces between them and
    /// at the contacts, the matrix pattern and the linear solver's analysis, set up once;
    /// ``conductance(_:)`` then only fills the values, factors and solves.
    public final class Path {
        let mesh: Mesh
        /// Whether each cell conducts (the conductivities passed later must be finite and
        /// positive exactly there).
        public let conducting: [Bool]
        /// Unknown of each conducting cell, −1 elsewhere.
        let index: [Int]
        /// Interior faces between conducting cells: (unknown a, unknown b, face).
        let interior: [(a: Int, b: Int, face: Int)]
        /// Contact faces: (unknown, face, fixed potential 1 at the source, 0 at the drain).
        let contacts: [(cell: Int, face: Int, potential: Double)]
        let pattern: SparsityPattern
        let solver: any LinearSolver

        public init(mesh: Mesh, conducting: [Bool], source: String, drain: String, solver kind: LinearSolverKind = .automatic) throws {
            precondition(conducting.count == mesh.cellCount, "one flag per cell")
            self.mesh = mesh
            self.conducting = conducting
            var index = [Int](repeating: -1, count: mesh.cellCount)
            var n = 0
            for c in 0..<mesh.cellCount where conducting[c] { index[c] = n; n += 1 }
            self.index = index
            let sourceTag = mesh.tag(named: source), drainTag = mesh.tag(named: drain)
            var rows = (0..<n).map { [$0] }
            var interior: [(Int, Int, Int)] = []
            var contacts: [(Int, Int, Double)] = []
            for f in 0..<mesh.faceCount {
                let a = mesh.faceCellA[f], b = mesh.faceCellB[f]
                guard conducting[a] else { continue }
                if b >= 0 {
                    guard conducting[b] else { continue }
                    interior.append((index[a], index[b], f))
                    rows[index[a]].append(index[b])
                    rows[index[b]].append(index[a])
                } else if mesh.faceTag[f] == sourceTag || mesh.faceTag[f] == drainTag {
                    contacts.append((index[a], f, mesh.faceTag[f] == sourceTag ? 1 : 0))
                }
            }
            guard contacts.contains(where: { $0.2 == 1 }) else { throw Failure.noContact(source) }
            guard contacts.contains(where: { $0.2 == 0 }) else { throw Failure.noContact(drain) }
            self.interior = interior
            self.contacts = contacts
            pattern = SparsityPattern(size: n, rows: rows.map { Array(Set($0)).sorted() })
            do { solver = try kind.make(pattern: pattern) } catch { throw Failure.singular("\(error)") }
        }

        /// Conductance (as ``ElectronicConduction/conductance(mesh:sigma:source:drain:solver:)``)
        /// for cell conductivities `sigma`, S/m, finite and positive on the conducting cells.
        public func conductance(_ sigma: [Double]) throws -> Double {
            precondition(sigma.count == mesh.cellCount, "one conductivity per cell")
            let n = pattern.size
            func g(_ f: Int) -> Double {
                let (a, b) = (mesh.faceCellA[f], mesh.faceCellB[f])
                return mesh.faceArea[f] / (mesh.faceDistanceA[f] / sigma[a] + (b >= 0 ? mesh.faceDistanceB[f] / sigma[b] : 0))
            }
            let gInterior = interior.map { g($0.face) }
            let gContact = contacts.map { g($0.face) }
            var matrix = SparseMatrix(pattern: pattern)
            var rhs = [Double](repeating: 0, count: n)
            for (k, (i, j, _)) in interior.enumerated() {
                let gk = gInterior[k]
                matrix[i, i] += gk
                matrix[j, j] += gk
                matrix[i, j] -= gk
                matrix[j, i] -= gk
            }
            for (k, (i, _, v)) in contacts.enumerated() {
                matrix[i, i] += gContact[k]
                rhs[i] += gContact[k] * v
            }
            // Thin channels are badly conditioned (across a 1 nm row the conductance is 1e9
            // times that along a 30 µm column), so the direct solve is refined against the
            // residual until it stops improving: G to ~1e-14 rather than cond·ε ≈ 1e-7.
            var psi = rhs
            do {
                try solver.factor(matrix)
            } catch {
                throw Failure.singular("\(error)")
            }
            solver.solve(&psi)
            for _ in 0..<4 {
                var r = rhs
                for (k, (i, j, _)) in interior.enumerated() {
                    let q = gInterior[k] * (psi[i] - psi[j])
                    r[i] -= q
                    r[j] += q
                }
                for (k, (i, _, _)) in contacts.enumerated() { r[i] -= gContact[k] * psi[i] }
                solver.solve(&r)
                var change = 0.0
                for i in 0..<n {
                    psi[i] += r[i]
                    change = max(change, abs(r[i]))
                }
                if change <= 1e-15 { break }
            }
            // The current leaving the source contact at 1 V.
            var current = 0.0
            for (k, (i, _, v)) in contacts.enumerated() where v == 1 { current += gContact[k] * (1 - psi[i]) }
            return current
        }
    }
}
