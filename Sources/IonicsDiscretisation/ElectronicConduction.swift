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
    /// per m² of cross-section in 1D), for cell conductivities `sigma` (S/m).
    public static func conductance(
        mesh: Mesh, sigma: [Double], source: String, drain: String, solver: LinearSolverKind = .automatic
    ) throws -> Double {
        precondition(sigma.count == mesh.cellCount, "one conductivity per cell")
        let conducting = sigma.map { $0.isFinite && $0 > 0 }
        var index = [Int](repeating: -1, count: mesh.cellCount)
        var n = 0
        for c in 0..<mesh.cellCount where conducting[c] { index[c] = n; n += 1 }
        guard let sourceTag = mesh.tag(named: source), mesh.faceTag.indices.contains(where: {
            mesh.faceTag[$0] == sourceTag && conducting[mesh.faceCellA[$0]]
        }) else { throw Failure.noContact(source) }
        guard let drainTag = mesh.tag(named: drain), mesh.faceTag.indices.contains(where: {
            mesh.faceTag[$0] == drainTag && conducting[mesh.faceCellA[$0]]
        }) else { throw Failure.noContact(drain) }

        // Face conductances and the pattern.
        var rows = (0..<n).map { [$0] }
        var interior: [(Int, Int, Double)] = []
        var contacts: [(Int, Double, Double)] = []  // (unknown, conductance, fixed potential)
        for f in 0..<mesh.faceCount {
            let a = mesh.faceCellA[f], b = mesh.faceCellB[f]
            guard conducting[a] else { continue }
            if b >= 0 {
                guard conducting[b] else { continue }
                let g = mesh.faceArea[f] / (mesh.faceDistanceA[f] / sigma[a] + mesh.faceDistanceB[f] / sigma[b])
                interior.append((index[a], index[b], g))
                rows[index[a]].append(index[b])
                rows[index[b]].append(index[a])
            } else if mesh.faceTag[f] == sourceTag || mesh.faceTag[f] == drainTag {
                let g = sigma[a] * mesh.faceArea[f] / mesh.faceDistanceA[f]
                contacts.append((index[a], g, mesh.faceTag[f] == sourceTag ? 1 : 0))
            }
        }
        let pattern = SparsityPattern(size: n, rows: rows.map { Array(Set($0)).sorted() })
        var matrix = SparseMatrix(pattern: pattern)
        var rhs = [Double](repeating: 0, count: n)
        for (i, j, g) in interior {
            matrix[i, i] += g
            matrix[j, j] += g
            matrix[i, j] -= g
            matrix[j, i] -= g
        }
        for (i, g, v) in contacts {
            matrix[i, i] += g
            rhs[i] += g * v
        }
        // Thin channels are badly conditioned (across a 1 nm row the conductance is 1e9
        // times that along a 30 µm column), so the direct solve is refined against the
        // residual until it stops improving: G to ~1e-14 rather than cond·ε ≈ 1e-7.
        var psi = rhs
        do {
            let lu = try solver.make(pattern: pattern)
            try lu.factor(matrix)
            lu.solve(&psi)
            for _ in 0..<4 {
                var r = rhs
                for (i, j, g) in interior {
                    let q = g * (psi[i] - psi[j])
                    r[i] -= q
                    r[j] += q
                }
                for (i, g, _) in contacts { r[i] -= g * psi[i] }
                lu.solve(&r)
                var change = 0.0
                for i in 0..<n {
                    psi[i] += r[i]
                    change = max(change, abs(r[i]))
                }
                if change <= 1e-15 { break }
            }
        } catch {
            throw Failure.singular("\(error)")
        }
        // The current leaving the source contact at 1 V.
        var current = 0.0
        for (i, g, v) in contacts where v == 1 { current += g * (1 - psi[i]) }
        return current
    }
}
