import IonicsPhysics

extension PNPDiscretisation {
    /// The mobile carriers of a semiconductor layer, scaled: electrons n̂ = N̂_c F(η) and,
    /// in an ambipolar channel, holes p̂ = N̂_v F(−η − Ê_g), with η = φ̂ − V̂_T − ΔÊ_c the
    /// electrons' reduced Fermi level (V̂_T the terminal's potential), potentials and
    /// energies in thermal voltages, densities in units of N_A·c0
    /// (``SemiconductorProperties``).
    struct Electrons {
        var nc: Double
        var offset: Double
        var doping: Double
        var terminal: Int
        var properties: SemiconductorProperties
        /// N̂_v (0 without holes).
        var nv: Double
        /// Ê_g = E_g/V_T.
        var gap: Double

        /// - Parameters: `densityScale` N_A·c0 (m⁻³), `thermalVoltage` V_T (V).
        init(_ p: SemiconductorProperties, densityScale: Double, thermalVoltage: Double) {
            nc = p.effectiveDensity / densityScale
            offset = p.bandOffset / thermalVoltage
            doping = p.doping / densityScale
            terminal = p.terminal
            properties = p
            nv = (p.holes?.effectiveDensity ?? 0) / densityScale
            gap = (p.holes?.bandGap ?? 0) / thermalVoltage
        }

        /// n̂ at η.
        @inlinable
        func electrons(_ eta: Double) -> Double { nc * properties.occupancy(eta).value }

        /// p̂ at η (0 without holes).
        @inlinable
        func holes(_ eta: Double) -> Double { nv > 0 ? nv * properties.occupancy(-eta - gap).value : 0 }

        /// The carriers' charge p̂ − n̂ at η and its derivative in η.
        @inlinable
        func charge(_ eta: Double) -> (value: Double, derivative: Double) {
            let (f, df) = properties.occupancy(eta)
            var q = -nc * f
            var dq = -nc * df
            if nv > 0 {
                let (g, dg) = properties.occupancy(-eta - gap)
                q += nv * g
                dq -= nv * dg
            }
            return (q, dq)
        }
    }
}
