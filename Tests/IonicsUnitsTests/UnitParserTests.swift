import IonicsTestSupport
import IonicsUnits
import Testing

@Suite("Unit parsing")
struct UnitParserTests {
    /// Every example of the config documentation, with its SI value computed by hand.
    static let examples: [(String, QuantityKind, Double)] = [
        ("50 nm", .length, 50e-9),
        ("0.5 uA", .current, 0.5e-6),
        ("5 ms", .time, 5e-3),
        ("1e19 cm^-3", .concentration, 1e25 / 6.022_140_76e23),
        ("1e19 cm^-3", .numberDensity, 1e25),
        ("0.1 M", .concentration, 100),
        ("1 mol/L", .concentration, 1000),
        ("1e-10 cm^2/s", .diffusivity, 1e-14),
        ("1e-4 S/cm", .conductivity, 1e-2),
        ("25 degC", .temperature, 298.15),
        ("298.15 K", .temperature, 298.15),
        ("10 uF/cm^2", .capacitancePerArea, 0.1),
        ("0.39 fJ/um^2", .energyPerArea, 0.39e-15 / 1e-12),
        ("2.5 nC", .charge, 2.5e-9),
        ("42 uS", .conductance, 42e-6),
        ("1.5 V", .voltage, 1.5),
        ("-30 V", .voltage, -30),
        ("132 aJ", .energy, 132e-18),
        ("0.87 eV", .molarEnergy, 0.87 * 1.602_176_634e-19 * 6.022_140_76e23),
        ("1 mA/cm^2", .currentDensity, 10),
        ("10 cm^2/(V s)", .mobility, 1e-3),
        ("10 cm^2/V/s", .mobility, 1e-3),
        ("10 ohm cm^2", .areaResistance, 10e-4),
        ("3 min", .time, 180),
        ("2 h", .time, 7200),
        ("1 mM", .concentration, 1),
        ("5 µm", .length, 5e-6),
        ("5 μm", .length, 5e-6),
        ("5μm", .length, 5e-6),
        ("1e-3 /s", .frequency, 1e-3),
        ("100 um²", .area, 1e-10),
        ("1e19 cm⁻³", .numberDensity, 1e25),
        ("8.854e-12 F/m", QuantityKind(name: "permittivity", dimension: .init(m: -3, kg: -1, s: 4, A: 2), example: ""), 8.854e-12),
        ("3 kg*m/s^2", QuantityKind(name: "force", dimension: .init(m: 1, kg: 1, s: -2), example: ""), 3),
        ("1 mol/(m^3)", .concentration, 1),
        ("2 cm2/s", .diffusivity, 2e-4),
        ("1 kohm", .resistance, 1e3),
        ("5", .dimensionless, 5),
        ("1.5e+2 nm", .length, 150e-9),
        ("4 Å", .length, 4e-10),
    ]

    @Test("documented examples convert to the right SI value", arguments: examples.indices)
    func example(_ i: Int) throws {
        let (text, kind, expected) = Self.examples[i]
        let value = try UnitParser.value(text, as: kind)
        #expect(relativeError(value, expected) < 1e-14, "\(text) → \(value), expected \(expected)")
    }

    static let mismatches: [(String, QuantityKind)] = [
        ("50 mm/s", .length),
        ("5 ms", .length),
        ("1 M", .diffusivity),
        ("0.5 uA", .voltage),
        ("25 degC", .time),
        ("5", .length),
        ("1 S", .conductivity),
    ]

    @Test("a value of the wrong dimension is refused with what was expected", arguments: mismatches.indices)
    func mismatch(_ i: Int) {
        let (text, kind) = Self.mismatches[i]
        do {
            _ = try UnitParser.value(text, as: kind)
            Issue.record("\(text) was accepted as \(kind.phrase)")
        } catch let error as DimensionMismatch {
            #expect(error.description.contains("expected \(kind.phrase)"))
            #expect(error.description.contains("\"\(text)\""))
        } catch {
            Issue.record("unexpected error \(error)")
        }
    }

    static let malformed: [String] = [
        "", "   ", "nm", "abc", "5 furlongs", "5 nm^", "5 nm^x", "5 (nm", "5 nm)", "5 nm/",
        "5 */s", "5 nm//s", "5 degC/s", "5 kdegC", "1e", "5 V**", "--5 V", "5 V V/", "5 #",
    ]

    @Test("malformed strings are refused with a UnitError", arguments: malformed)
    func malformedInput(_ text: String) {
        #expect(throws: UnitError.self) { _ = try UnitParser.parse(text) }
    }

    @Test("unknown units are named in the error")
    func unknownUnitNamed() {
        do {
            _ = try UnitParser.parse("5 furlongs")
            Issue.record("accepted")
        } catch {
            #expect(error.reason == .unknownUnit("furlongs"))
            #expect(error.description.contains("furlongs"))
        }
    }

    @Test("the exact symbol wins over a prefixed reading")
    func exactSymbolsFirst() throws {
        #expect(try UnitParser.parse("1 min").value == 60)
        #expect(try UnitParser.parse("1 mol").dimension == Dimension(mol: 1))
        #expect(try UnitParser.parse("1 Pa").dimension == Dimension(m: -1, kg: 1, s: -2))
        #expect(try UnitParser.parse("1 mm").value == 1e-3)
        #expect(try UnitParser.parse("1 Mm").value == 1e6)
        #expect(try UnitParser.parse("1 ms").value == 1e-3)
        #expect(try UnitParser.parse("1 mS").dimension == QuantityKind.conductance.dimension)
    }

    @Test("thermal voltage at 298.15 K is 25.693 mV")
    func thermalVoltage() {
        // k_B·T/e with the exact 2019 SI constants: 25.692579121… mV.
        let vt = PhysicalConstants.thermalVoltage(kelvin: 298.15)
        #expect(abs(vt - 0.025_692_579_121) < 1e-12)
    }
}
