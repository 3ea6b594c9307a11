// The 2D problem of the 2D benchmarks (2d-newton, 2d-assembly, simd-flux): the
// verification's electrolyte | neutral-host device stack (JacobianCase.deviceProblems()[1]:
// H⁺ and A⁻ in a 50 nm electrolyte with Poisson and fixed charge, H⁺ intercalated into a
// 30 nm host with U(θ) and D(θ), a reacting Stern contact at the gate, two terminals)
// on a tensor-product mesh, at a random state near the initial one.
import Foundation
import IonicsDiscretisation
import IonicsLinearAlgebra
import IonicsPhysics
import IonicsVerification

struct TwoDimensionalStack {
    /// Cells through each of the two layers (graded, growth 1.05).
    var rows: Int
    /// Columns along the channel (uniform, 200 nm in all).
    var columns: Int

    /// The stack whose mesh has about `cells` cells, four times as wide as it is deep in cells.
    init(cells: Int) {
        rows = max(2, Int((Double(cells) / 8).squareRoot().rounded()))
        columns = max(2, Int((Double(cells) / Double(2 * rows)).rounded()))
    }

    init(rows: Int, columns: Int) {
        self.rows = rows
        self.columns = columns
    }

    var cells: Int { 2 * rows * columns }

    func discretisation() throws -> PNPDiscretisation {
        let (problem, _) = JacobianCase.deviceProblems()[1]
        let specs = [LayerMeshSpec(cells: rows, growth: 1.05), LayerMeshSpec(cells: rows, growth: 1.05)]
        let lateral = (0...columns).map { 200e-9 * Double($0) / Double(columns) }
        let mesh = Mesh.tensorProduct(thicknesses: problem.layers.map(\.thickness), specs: specs, lateral: lateral)
        return try PNPDiscretisation(problem: problem, mesh: mesh)
    }

    /// The discretisation under one current-controlled and one voltage-held terminal.
    static func driven(_ d: PNPDiscretisation) -> DrivenPNP {
        d.driven(by: Drives(controls: [.currentDensity(3), .voltage(0.05)]))
    }

    /// Potentials in ±1 V_T, concentrations ×[0.9, 1.1] of the initial ones.
    static func state(_ d: PNPDiscretisation, seed: UInt64 = 1) -> [Double] {
        var rng = BenchRandom(seed: seed)
        var u = d.initialState()
        for i in u.indices {
            switch d.unknownKinds[i] {
            case .potential: u[i] = rng.uniform()
            case .density, .bounded: u[i] *= 1 + 0.1 * rng.uniform()
            case .free, .charge: u[i] = 0.1 * rng.uniform()
            }
        }
        return u
    }
}

/// Wall time of `work`, s (monotonic clock).
func wallTime(_ work: () throws -> Void) rethrows -> Double {
    let clock = ContinuousClock()
    let start = clock.now
    try work()
    let d = clock.now - start
    return Double(d.components.seconds) + Double(d.components.attoseconds) * 1e-18
}

/// Peak resident memory of the process so far, bytes (getrusage; Linux reports KiB).
func peakMemory() -> Double {
    var usage = rusage()
    getrusage(RUSAGE_SELF.rawValue, &usage)
    return Double(usage.ru_maxrss) * 1024
}

/// Least-squares slope of log y against log x: the exponent p of y ∝ x^p.
func exponent(_ x: [Double], _ y: [Double]) -> Double {
    let lx = x.map { log($0) }, ly = y.map { log($0) }
    let mx = lx.reduce(0, +) / Double(lx.count), my = ly.reduce(0, +) / Double(ly.count)
    let sxy = zip(lx, ly).reduce(0) { $0 + ($1.0 - mx) * ($1.1 - my) }
    let sxx = lx.reduce(0) { $0 + ($1 - mx) * ($1 - mx) }
    return sxy / sxx
}

/// Largest difference of two residuals and Jacobians, per row relative to the row's
/// terms (|f_i| + Σ_j |J_ij u_j|) and to the row's largest Jacobian entry.
func rowwiseDifference(_ a: (f: [Double], j: SparseMatrix), _ b: (f: [Double], j: SparseMatrix), state u: [Double]) -> Double {
    let p = b.j.pattern
    var worst = 0.0
    for i in 0..<p.size {
        let row = Int(p.rowStart[i])..<Int(p.rowStart[i + 1])
        let scale = row.reduce(abs(b.f[i])) { $0 + abs(b.j.values[$1] * u[Int(p.columns[$1])]) }
        if scale > 0 { worst = max(worst, abs(a.f[i] - b.f[i]) / scale) }
        let largest = row.reduce(0.0) { max($0, abs(b.j.values[$1])) }
        if largest > 0 { worst = max(worst, row.reduce(0.0) { max($0, abs(a.j.values[$1] - b.j.values[$1])) } / largest) }
    }
    return worst
}
