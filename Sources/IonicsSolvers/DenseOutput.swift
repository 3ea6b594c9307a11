extension StepRecord {
    /// The solution at time `t` inside the step, from TR-BDF2's own interpolant: the
    /// quadratic through its three stage values u(tₙ), u(tₙ + γh) and u(tₙ + h).
    ///
    /// Both stages of TR-BDF2 are built on this quadratic (the trapezoidal stage on its
    /// first part, BDF2 on all three points), and its error is O(h³) per step, which
    /// matches the method's second order (cf. the interpolants of M. E. Hosea and
    /// L. F. Shampine, "Analysis and implementation of TR-BDF2", Appl. Numer. Math. 20,
    /// 21 (1996)). Output times are therefore read from accepted steps without forcing
    /// the step size. Algebraic components are interpolated alike; they satisfy their
    /// constraints to O(h³) between the stages and exactly at them.
    ///
    /// Each component is kept within the range of its three stage values: the quadratic
    /// can overshoot where most of a step's change happens in its first stage (a density
    /// falling 1 → 0.05 → 0.01 would dip below zero, a filling rise above 1), and a state
    /// outside the physical domain cannot be evaluated. Away from such steps the bound is
    /// inactive; at an interior extremum it limits the local error to O(h²).
    ///
    /// A re-initialisation (zero length) returns its state after the jump; `t` outside
    /// [start, end] is clamped.
    public func interpolate(at t: Double) -> [Double] {
        guard kind == .step, end > start, quadrature.count == 3 else { return after }
        if t <= start { return before }
        if t >= end { return after }
        let (t0, tg, t1) = (quadrature[0].time, quadrature[1].time, quadrature[2].time)
        let (u0, ug, u1) = (quadrature[0].state, quadrature[1].state, quadrature[2].state)
        // Lagrange weights of the three nodes.
        let l0 = (t - tg) * (t - t1) / ((t0 - tg) * (t0 - t1))
        let lg = (t - t0) * (t - t1) / ((tg - t0) * (tg - t1))
        let l1 = (t - t0) * (t - tg) / ((t1 - t0) * (t1 - tg))
        var u = [Double](repeating: 0, count: u1.count)
        for i in u.indices {
            let q = l0 * u0[i] + lg * ug[i] + l1 * u1[i]
            let lo = min(u0[i], ug[i], u1[i])
            let hi = max(u0[i], ug[i], u1[i])
            u[i] = min(max(q, lo), hi)
        }
        return u
    }

    /// Whether `t` lies in (start, end], the times this step is responsible for.
    public func covers(_ t: Double) -> Bool { t > start && t <= end }
}
