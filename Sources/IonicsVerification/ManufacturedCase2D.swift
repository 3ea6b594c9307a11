import Foundation
import IonicsDiscretisation
import IonicsPhysics

/// Observed orders of convergence in space on the 2D manufactured solution
/// (``ManufacturedSolution2D``), steady state, on uniform meshes and on meshes graded
/// smoothly in both directions.
///
/// Both norms are computed and written to the convergence series. On the graded meshes
/// the orders of both are asserted. On uniform meshes only the L2 orders are: the max
/// error sits in the cells at the Dirichlet ends and at the corners of the interface
/// with the closed sides, where the one-sided boundary flux and the kink of φ give
/// errors of order h² with a pre-asymptotic part that dies out only on meshes finer
/// than a 2D study can afford (the 1D study needs 160 cells for its max norm; here the
/// uniform max-norm orders are 1.70–1.97 between 10² and 160² cells, rising on the
/// finer meshes; docs/verification.md).
public enum ManufacturedCase2D {
    /// Errors per field of the steady solve on the n × n mesh.
    static func steadyErrors(_ m: ManufacturedSolution2D, cells: Int, graded: Bool) throws -> [(field: String, l2: Double, max: Double)] {
        let mesh = m.mesh(cells: cells, graded: graded)
        let d = try PNPDiscretisation(problem: m.problem(mesh: mesh), mesh: mesh)
        return m.errors(d, try ManufacturedCase.steadyState(d))
    }

    /// Spatial study on n × n meshes, n from `cells`: the smallest observed order of
    /// every field's L2 error (and, on graded meshes, max error) over the refinements,
    /// against 1.9.
    public static func spatial(cells: [Int], graded: Bool) throws -> VerificationOutcome {
        let m = ManufacturedSolution2D()
        let results = try cells.map { try steadyErrors(m, cells: $0, graded: graded) }
        return ManufacturedCase.refinementOutcome(
            name: "MMS 2D space (\(graded ? "graded" : "uniform"))", series: graded ? "mms_2d_graded" : "mms_2d_uniform",
            cells: cells, results: results, threshold: 1.9, maxNorm: graded)
    }
}
