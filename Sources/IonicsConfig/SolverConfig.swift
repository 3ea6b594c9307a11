import IonicsUnits

/// Solver settings.
public struct SolverConfig: Sendable, Equatable {
    public var relativeTolerance: Double = 1e-4
    /// Absolute tolerance on potentials, V.
    public var absolutePotential: Double = 1e-6
    /// Absolute tolerance on concentrations, mol/m³.
    public var absoluteConcentration: Double = 1e-6
    /// First step after each discontinuity, s (nil: automatic).
    public var initialStep: Double?
    public var minimumStep: Double = 1e-15
    /// Largest step, s (nil: no limit).
    public var maximumStep: Double?
    public var newtonIterations: Int = 12
    /// Linear solver of the Newton iterations: "automatic" (band LU in 1D, UMFPACK
    /// otherwise), "band" (LAPACKE), "klu" or "umfpack" (SuiteSparse).
    public var linearSolver: String = "automatic"
    public static let linearSolvers = ["automatic", "band", "klu", "umfpack"]
    /// Keep factorised iteration matrices across Newton iterations, stages and steps
    /// while Newton contracts (modified Newton): faster, but step-level currents
    /// become noisier (see `TimeIntegratorOptions.reuseJacobian`). nil: automatic —
    /// on for 2D cross-sections, whose sparse factorisations dominate a run, off in 1D.
    public var reuseJacobian: Bool?
    /// Full Newton verifies each time-step stage with a chord step on the stage's first
    /// factorisation (`TimeIntegratorOptions.chordVerification`; default true); false
    /// takes a fresh Jacobian in every iteration (the reference method).
    public var chordVerification = true

    /// Reads a `solver` object.
    static func read(_ node: ConfigNode) -> SolverConfig {
        var c = SolverConfig()
        guard let s = node.object() else { return c }
        if let v = s.number("relative_tolerance") {
            if v > 0 && v < 0.1 { c.relativeTolerance = v } else { s.report("relative_tolerance", "must be between 0 and 0.1") }
        }
        if let v = s.positiveQuantity("absolute_potential", .voltage, default: -1), v > 0 { c.absolutePotential = v }
        if let v = s.positiveQuantity("absolute_concentration", .concentration, default: -1), v > 0 { c.absoluteConcentration = v }
        if let v = s.positiveQuantity("initial_step", .time, default: -1), v > 0 { c.initialStep = v }
        if let v = s.positiveQuantity("minimum_step", .time, default: -1), v > 0 { c.minimumStep = v }
        if let v = s.positiveQuantity("maximum_step", .time, default: -1), v > 0 { c.maximumStep = v }
        if let v = s.integer("newton_iterations") {
            if v >= 2 && v <= 100 { c.newtonIterations = v } else { s.report("newton_iterations", "must be between 2 and 100") }
        }
        if let v = s.bool("reuse_jacobian") { c.reuseJacobian = v }
        if let v = s.bool("chord_verification") { c.chordVerification = v }
        if let v = s.string("linear_solver") {
            if SolverConfig.linearSolvers.contains(v) {
                c.linearSolver = v
            } else {
                s.report("linear_solver", "expected one of \(SolverConfig.linearSolvers.map { "\"\($0)\"" }.joined(separator: ", ")), got \"\(v)\"")
            }
        }
        return c
    }
}
