/// Physical constants in SI units (CODATA 2018; the first five are exact by the 2019 SI).
public enum PhysicalConstants {
    /// Elementary charge e, C.
    public static let elementaryCharge = 1.602_176_634e-19
    /// Boltzmann constant k_B, J/K.
    public static let boltzmann = 1.380_649e-23
    /// Avogadro constant N_A, 1/mol.
    public static let avogadro = 6.022_140_76e23
    /// Faraday constant F = e·N_A, C/mol.
    public static let faraday = elementaryCharge * avogadro
    /// Molar gas constant R = k_B·N_A, J/(mol·K).
    public static let gasConstant = boltzmann * avogadro
    /// Vacuum permittivity ε0, F/m (CODATA 2018).
    public static let vacuumPermittivity = 8.854_187_8128e-12
    /// 0 °C in kelvin.
    public static let zeroCelsius = 273.15

    /// Thermal voltage V_T = RT/F in volts at temperature `kelvin`.
    @inlinable
    public static func thermalVoltage(kelvin: Double) -> Double {
        gasConstant * kelvin / faraday
    }
}
