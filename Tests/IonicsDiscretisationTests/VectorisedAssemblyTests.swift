import Foundation
import IonicsDiscretisation
import IonicsLinearAlgebra
import IonicsPhysics
import IonicsTestSupport
import IonicsVerification
import Testing

/// The vectorised interior-face kernel (precomputed Jacobian positions, SIMD Bernoulli)
/// and the threaded pass against the scalar reference, on 1D and 2D meshes of problems
/// that switch on every interior term: Poisson with a permittivity jump, fixed charge,
/// partition (μ°), Bikerman crowding, hosts with D(θ) and U(θ), semiconductor and neutral
/// hosts, terminals. They differ only by rounding.
@Suite("Vectorised and threaded assembly agree with the scalar reference")
struct VectorisedAssemblyTests {
    /// How far two evaluations are apart, by the round-off one can expect: per residual
    /// row |Δf_i| / (|f_i| + Σ_j |J_ij u_j|) (the sum bounds the magnitudes of the terms
    /// the row adds up), per Jacobian row max_j |ΔJ_ij| / max_j |J_ij|.
    struct Difference {
        var residual = 0.0
        var jacobian = 0.0

        init(_ a: (f: [Double], j: SparseMatrix), _ b: (f: [Double], j: SparseMatrix), state u: [Double]) {
            let p = b.j.pattern
            for i in 0..<p.size {
                let row = Int(p.rowStart[i])..<Int(p.rowStart[i + 1])
                let scale = row.reduce(abs(b.f[i])) { $0 + abs(b.j.values[$1] * u[Int(p.columns[$1])]) }
                if scale > 0 { residual = max(residual, abs(a.f[i] - b.f[i]) / scale) }
                let largest = row.map { abs(b.j.values[$0]) }.max() ?? 0
                if largest > 0 { jacobian = max(jacobian, row.map { abs(a.j.values[$0] - b.j.values[$0]) }.max()! / largest) }
            }
        }

        var worst: Double { max(residual, jacobian) }
    }

    static func evaluate(_ d: DrivenPNP, _ u: [Double], _ options: AssemblyOptions) throws -> (f: [Double], j: SparseMatrix) {
        var f = [Double](repeating: .nan, count: d.size)
        var j: SparseMatrix? = SparseMatrix(pattern: d.sparsity)
        // Stale values everywhere: a pass must overwrite what it owns.
        j!.values = [Double](repeating: .nan, count: j!.values.count)
        try d.evaluate(u, time: 0.1, f: &f, jacobian: &j, options: options)
        return (f, j!)
    }

    /// Random states as the Jacobian check draws them: potentials in ±2 V_T,
    /// concentrations ×[0.5, 1.5], global unknowns in ±1.
    static func randomState(_ d: PNPDiscretisation, seed: UInt64) -> [Double] {
        var rng = SplitMix64(seed: seed)
        return JacobianCase.perturbedState(d, using: &rng)
    }

    /// The verification's every-term problems and device stacks, on their 1D meshes and
    /// as 2D tensor-product meshes (each layer's 1D cells times 5 uneven columns).
    static func problems() -> [(name: String, problem: PNPProblem, mesh: Mesh)] {
        var cases: [(String, PNPProblem, Mesh)] = []
        let lateral = [0, 7e-9, 20e-9, 26e-9, 41e-9, 60e-9]
        var all = [("every term", JacobianCase.everyTermProblem(steric: false)), ("every term, Bikerman", JacobianCase.everyTermProblem(steric: true))]
        for (n, p) in JacobianCase.deviceProblems().enumerated() { all.append(("device \(n + 1)", p)) }
        for (name, (problem, mesh)) in all {
            cases.append((name + ", 1D", problem, mesh))
            let specs = problem.layers.map { _ in LayerMeshSpec(cells: 6, growth: 1.2) }
            cases.append((name + ", 2D", problem, Mesh.tensorProduct(thicknesses: problem.layers.map(\.thickness), specs: specs, lateral: lateral)))
        }
        return cases
    }

    @Test("residual and Jacobian of the vectorised kernel within 1e-13 of the scalar one (1D and 2D, every term)")
    func vectorisedAgainstScalar() throws {
        for (name, problem, mesh) in Self.problems() {
            let d = try PNPDiscretisation(problem: problem, mesh: mesh)
            for trial in 0..<3 {
                let controls: [TerminalControl] = (0..<problem.terminals.count).map { $0 == 0 && trial % 2 == 0 ? .currentDensity(3) : .voltage(0.05) }
                let driven = d.driven(by: Drives(controls: controls))
                let u = Self.randomState(d, seed: UInt64(100 * trial + 7))
                let scalar = try Self.evaluate(driven, u, AssemblyOptions(kernel: .scalar))
                let vectorised = try Self.evaluate(driven, u, AssemblyOptions(kernel: .vectorised))
                #expect(!vectorised.f.contains { !$0.isFinite } && !vectorised.j.values.contains { !$0.isFinite }, "\(name): stale entries")
                let diff = Difference(vectorised, scalar, state: u)
                #expect(diff.worst <= 1e-13, "\(name), trial \(trial): residual \(diff.residual), Jacobian \(diff.jacobian)")
            }
        }
    }

    /// A 2D mesh at the size where the pass runs on threads: the every-term problem
    /// (two layers, Bikerman) or the electrolyte | neutral-host device, `columns` wide.
    static func large(_ which: Int) -> (PNPProblem, Mesh) {
        let (problem, _) = which == 0 ? JacobianCase.everyTermProblem(steric: true) : JacobianCase.deviceProblems()[1]
        let rows = which == 0 ? [40, 60] : [60, 40]
        let specs = rows.map { LayerMeshSpec(cells: $0, growth: 1.05) }
        let columns = AssemblyOptions.parallelCells / 100 + 3
        let lateral = (0...columns).map { 1e-9 * (Double($0) + 0.4 * sin(Double($0))) }
        return (problem, Mesh.tensorProduct(thicknesses: problem.layers.map(\.thickness), specs: specs, lateral: lateral))
    }

    @Test("threads 1 and 2 agree to 1e-13, and both with the scalar pass", arguments: [0, 1])
    func threadsAgree(_ which: Int) throws {
        let (problem, mesh) = Self.large(which)
        #expect(mesh.cellCount >= AssemblyOptions.parallelCells)
        let d = try PNPDiscretisation(problem: problem, mesh: mesh)
        let driven = d.driven(by: Drives(controls: [TerminalControl](repeating: .voltage(0.05), count: problem.terminals.count)))
        let u = Self.randomState(d, seed: 42)
        let scalar = try Self.evaluate(driven, u, AssemblyOptions(kernel: .scalar))
        let one = try Self.evaluate(driven, u, AssemblyOptions(kernel: .vectorised, threads: 1))
        let two = try Self.evaluate(driven, u, AssemblyOptions(kernel: .vectorised, threads: 2))
        // (The same terms; only where a block is thinner than two rows of cells may an
        // entry receive the two seams' terms in the other order.)
        let threads = Difference(two, one, state: u)
        #expect(threads.worst <= 1e-13, "threads 2 vs 1: residual \(threads.residual), Jacobian \(threads.jacobian)")
        let kernels = Difference(two, scalar, state: u)
        #expect(kernels.worst <= 1e-13, "threads 2 vs scalar: residual \(kernels.residual), Jacobian \(kernels.jacobian)")
        // The residual-only pass equals the residual of the full pass.
        var f = [Double](repeating: .nan, count: d.size)
        var none: SparseMatrix? = nil
        try driven.evaluate(u, time: 0.1, f: &f, jacobian: &none, options: AssemblyOptions(kernel: .vectorised, threads: 2))
        #expect(f == two.f)
    }

    @Test("a bulk law's error names the same cell whatever the kernel and threads")
    func errorsAgree() throws {
        let (problem, mesh) = Self.large(1)
        let d = try PNPDiscretisation(problem: problem, mesh: mesh)
        var u = d.initialState()
        // Overfill two host cells; the first in cell order must be reported.
        let hostCells = (0..<mesh.cellCount).filter { d.unknownKinds[d.layout.firstSpecies[$0]] != .density }
        let bad = [hostCells[hostCells.count * 3 / 4], hostCells[hostCells.count / 3]]
        for c in bad { u[d.layout.firstSpecies[c]] *= 1e3 }
        for options in [AssemblyOptions(kernel: .scalar), AssemblyOptions(kernel: .vectorised, threads: 1), AssemblyOptions(kernel: .vectorised, threads: 2)] {
            var f = [Double](repeating: 0, count: d.size)
            var j: SparseMatrix? = SparseMatrix(pattern: d.sparsity)
            var reported: Int?
            do {
                try d.evaluate(u, time: 0, f: &f, jacobian: &j, options: options)
            } catch DiscretisationError.fillingOutOfRange(let cell, _, _) {
                reported = cell
            }
            #expect(reported == bad.min()!, "\(options)")
        }
    }

    @Test("the interior-face kernels of the benchmark agree: reference, plan with scalar B, plan with SIMD B")
    func interiorFluxKernels() throws {
        for (name, problem, mesh) in Self.problems() where name.hasSuffix("2D") {
            let d = try PNPDiscretisation(problem: problem, mesh: mesh)
            let u = Self.randomState(d, seed: 5)
            var results: [(f: [Double], j: SparseMatrix)] = []
            for kernel in PNPDiscretisation.InteriorFluxKernel.allCases {
                var f = [Double](repeating: 0, count: d.size)
                var j = SparseMatrix(pattern: d.sparsity)
                try d.addInteriorFluxes(u, kernel: kernel, f: &f, jacobian: &j)
                results.append((f, j))
            }
            for r in results.dropFirst() {
                let diff = Difference(r, results[0], state: u)
                #expect(diff.worst <= 1e-13, "\(name): residual \(diff.residual), Jacobian \(diff.jacobian)")
            }
        }
    }
}
