import Foundation
import IonicsDiscretisation

extension Simulation {
    /// What the state a failed solve stopped at suggests, for the error message: a host
    /// cell whose filling reached the end of the lattice gas (θ within 1e-6 of 0 or 1),
    /// where the chemical potential ln(θ/(1 − θ)) and everything that balances it become
    /// unresolvable in double precision. Empty when nothing stands out.
    func failureHint(_ u: [Double]) -> String {
        let d = discretisation
        let theta = d.filling(u)
        var worst: (cell: Int, margin: Double)?
        for (i, t) in theta.enumerated() where t.isFinite {
            let margin = min(t, 1 - t)
            if margin < 1e-6, margin < (worst?.margin ?? .infinity) { worst = (i, margin) }
        }
        guard let (i, _) = worst else { return "" }
        let layer = d.problem.layers[d.mesh.cellRegion[i]].name
        let y = d.mesh.cells[i].centre * 1e9
        let side = theta[i] > 0.5 ? "full (θ = 1 − \(String(format: "%.1e", 1 - theta[i])))" : "empty (θ = \(String(format: "%.1e", theta[i])))"
        return "; hint: host layer \(layer) is \(side) at cell \(i) (y = \(String(format: "%.4g", y)) nm), where the lattice gas cannot go further: the bias drives more ions there than the host holds (in a film with electron_transport, a Hebb–Wagner polarisation); lower the bias or shorten the pulses, or check the host's U(θ) and σ(θ)"
    }
}
