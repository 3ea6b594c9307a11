/// Reads strings such as `"50 nm"`, `"1e19 cm^-3"`, `"0.1 M"`, `"1e-10 cm^2/s"`,
/// `"10 uF/cm^2"`, `"25 degC"` into SI quantities.
///
/// Grammar (whitespace between number and unit is optional):
///
///     quantity := number unit?
///     unit     := factor ( ("*" | "·" | " ") factor | "/" factor )*
///     factor   := ( symbol | "(" unit ")" ) exponent?
///     exponent := ("^" | "**")? integer  |  superscripts (² ³ ⁻¹ …)
///
/// `/` divides by the single factor that follows it: `J/mol/K` and `J/(mol K)` are
/// both J·mol⁻¹·K⁻¹. Symbols take SI prefixes from yocto to yotta (`u`, `µ` and
/// `μ` are all micro). An exact symbol wins over a prefixed reading, so `min` is a
/// minute, `mol` a mole and `Pa` a pascal. `degC` (or `°C`) is an offset scale and
/// may only stand alone.
public enum UnitParser {
    /// Parses `text` into an SI quantity.
    public static func parse(_ text: String) throws(UnitError) -> Quantity {
        var scanner = Scanner(text)
        scanner.skipSpaces()
        if scanner.atEnd { throw UnitError(input: text, reason: .empty) }
        guard let number = scanner.scanNumber() else {
            throw UnitError(input: text, reason: .missingNumber)
        }
        scanner.skipSpaces()
        if scanner.atEnd { return Quantity(number, .dimensionless) }

        // Offset scales stand alone.
        let rest = scanner.remainder.trimmingSpaces()
        if let offset = offsetScales[rest] {
            return Quantity(number + offset, Dimension(K: 1))
        }
        let unit = try scanner.scanProduct(input: text, depth: 0)
        if !scanner.atEnd {
            throw UnitError(input: text, reason: .unexpectedCharacter(scanner.peek!))
        }
        return Quantity(number * unit.factor, unit.dimension)
    }

    /// Parses `text` and converts it to `kind`, returning the SI value; throws a
    /// ``UnitError`` or a ``DimensionMismatch``.
    public static func value(_ text: String, as kind: QuantityKind) throws -> Double {
        let q = try parse(text)
        guard let v = kind.siValue(of: q) else {
            throw DimensionMismatch(input: text, expected: kind, found: q.dimension)
        }
        return v
    }

    // MARK: - Unit table

    struct UnitValue {
        var factor: Double
        var dimension: Dimension
        static let one = UnitValue(factor: 1, dimension: .dimensionless)
        static func * (a: UnitValue, b: UnitValue) -> UnitValue {
            UnitValue(factor: a.factor * b.factor, dimension: a.dimension * b.dimension)
        }
        func power(_ n: Int) -> UnitValue {
            UnitValue(factor: pow(factor, n), dimension: dimension.power(n))
        }
    }

    /// Symbols that accept SI prefixes.
    static let prefixable: [String: UnitValue] = {
        let V = Dimension(m: 2, kg: 1, s: -3, A: -1)
        let J = Dimension(m: 2, kg: 1, s: -2)
        return [
            "m": UnitValue(factor: 1, dimension: Dimension(m: 1)),
            "g": UnitValue(factor: 1e-3, dimension: Dimension(kg: 1)),
            "s": UnitValue(factor: 1, dimension: Dimension(s: 1)),
            "A": UnitValue(factor: 1, dimension: Dimension(A: 1)),
            "K": UnitValue(factor: 1, dimension: Dimension(K: 1)),
            "mol": UnitValue(factor: 1, dimension: Dimension(mol: 1)),
            "L": UnitValue(factor: 1e-3, dimension: Dimension(m: 3)),
            "l": UnitValue(factor: 1e-3, dimension: Dimension(m: 3)),
            "M": UnitValue(factor: 1e3, dimension: Dimension(m: -3, mol: 1)),
            "N": UnitValue(factor: 1, dimension: Dimension(m: 1, kg: 1, s: -2)),
            "Pa": UnitValue(factor: 1, dimension: Dimension(m: -1, kg: 1, s: -2)),
            "J": UnitValue(factor: 1, dimension: J),
            "W": UnitValue(factor: 1, dimension: Dimension(m: 2, kg: 1, s: -3)),
            "C": UnitValue(factor: 1, dimension: Dimension(s: 1, A: 1)),
            "V": UnitValue(factor: 1, dimension: V),
            "F": UnitValue(factor: 1, dimension: Dimension(m: -2, kg: -1, s: 4, A: 2)),
            "S": UnitValue(factor: 1, dimension: Dimension(m: -2, kg: -1, s: 3, A: 2)),
            "ohm": UnitValue(factor: 1, dimension: Dimension(m: 2, kg: 1, s: -3, A: -2)),
            "Ohm": UnitValue(factor: 1, dimension: Dimension(m: 2, kg: 1, s: -3, A: -2)),
            "Ω": UnitValue(factor: 1, dimension: Dimension(m: 2, kg: 1, s: -3, A: -2)),
            "Hz": UnitValue(factor: 1, dimension: Dimension(s: -1)),
            "eV": UnitValue(factor: PhysicalConstants.elementaryCharge, dimension: J),
        ]
    }()

    /// Symbols without prefixes.
    static let plain: [String: UnitValue] = [
        "min": UnitValue(factor: 60, dimension: Dimension(s: 1)),
        "h": UnitValue(factor: 3600, dimension: Dimension(s: 1)),
        "Å": UnitValue(factor: 1e-10, dimension: Dimension(m: 1)),
        "angstrom": UnitValue(factor: 1e-10, dimension: Dimension(m: 1)),
    ]

    static let prefixes: [String: Double] = [
        "y": 1e-24, "z": 1e-21, "a": 1e-18, "f": 1e-15, "p": 1e-12, "n": 1e-9,
        "u": 1e-6, "µ": 1e-6, "μ": 1e-6, "m": 1e-3, "c": 1e-2, "d": 1e-1,
        "da": 1e1, "h": 1e2, "k": 1e3, "M": 1e6, "G": 1e9, "T": 1e12, "P": 1e15,
        "E": 1e18, "Z": 1e21, "Y": 1e24,
    ]

    /// Offsets in kelvin of the offset temperature scales.
    static let offsetScales: [String: Double] = [
        "degC": PhysicalConstants.zeroCelsius, "°C": PhysicalConstants.zeroCelsius,
        "℃": PhysicalConstants.zeroCelsius, "celsius": PhysicalConstants.zeroCelsius,
    ]

    static func lookup(_ symbol: String) -> UnitValue? {
        if let u = plain[symbol] ?? prefixable[symbol] { return u }
        // Longest prefix first ("da" before "d").
        for length in [2, 1] where symbol.count > length {
            let p = String(symbol.prefix(length))
            if let scale = prefixes[p], let base = prefixable[String(symbol.dropFirst(length))] {
                return UnitValue(factor: scale * base.factor, dimension: base.dimension)
            }
        }
        return nil
    }

    // MARK: - Scanner

    struct Scanner {
        let chars: [Character]
        var index = 0

        init(_ text: String) { chars = Array(text) }

        var atEnd: Bool { index >= chars.count }
        var peek: Character? { atEnd ? nil : chars[index] }
        var remainder: String { String(chars[index...]) }

        mutating func skipSpaces() {
            while let c = peek, c.isWhitespace { index += 1 }
        }

        mutating func scanNumber() -> Double? {
            let start = index
            if let c = peek, c == "+" || c == "-" { index += 1 }
            var digits = 0
            while let c = peek, c.isASCII, c.isNumber { index += 1; digits += 1 }
            if peek == "." {
                index += 1
                while let c = peek, c.isASCII, c.isNumber { index += 1; digits += 1 }
            }
            guard digits > 0 else { index = start; return nil }
            // Exponent only when digits follow, so "5 eV" keeps its unit.
            if let c = peek, c == "e" || c == "E" {
                var look = index + 1
                if look < chars.count, chars[look] == "+" || chars[look] == "-" { look += 1 }
                if look < chars.count, chars[look].isASCII, chars[look].isNumber {
                    index = look
                    while let c = peek, c.isASCII, c.isNumber { index += 1 }
                }
            }
            return Double(String(chars[start..<index]))
        }

        static func isSymbolCharacter(_ c: Character) -> Bool {
            c.isLetter || c == "°" || c == "Ω" || c == "Å" || c == "µ" || c == "℃"
        }

        mutating func scanProduct(input: String, depth: Int) throws(UnitError) -> UnitValue {
            var result = UnitValue.one
            var factors = 0
            var divide = false
            var needFactor = false
            while true {
                skipSpaces()
                guard let c = peek else { break }
                if c == ")" {
                    if depth == 0 { throw UnitError(input: input, reason: .unbalancedParenthesis) }
                    break
                }
                if c == "/" || c == "*" || c == "·" || c == "." {
                    // "/s" may open a unit ("1e-3 /s"); any other operator needs a factor before it.
                    if needFactor || (factors == 0 && c != "/") {
                        throw UnitError(input: input, reason: .unexpectedCharacter(c))
                    }
                    index += 1
                    divide = c == "/"
                    needFactor = true
                    continue
                }
                let factor = try scanFactor(input: input, depth: depth)
                result = result * (divide ? factor.power(-1) : factor)
                factors += 1
                divide = false
                needFactor = false
            }
            if needFactor || factors == 0 {
                throw UnitError(input: input, reason: .unexpectedCharacter(needFactor ? chars[index - 1] : "("))
            }
            return result
        }

        mutating func scanFactor(input: String, depth: Int) throws(UnitError) -> UnitValue {
            var base: UnitValue
            if peek == "(" {
                index += 1
                base = try scanProduct(input: input, depth: depth + 1)
                guard peek == ")" else { throw UnitError(input: input, reason: .unbalancedParenthesis) }
                index += 1
            } else {
                let start = index
                while let c = peek, Scanner.isSymbolCharacter(c) { index += 1 }
                guard index > start else {
                    throw UnitError(input: input, reason: .unexpectedCharacter(peek!))
                }
                let symbol = String(chars[start..<index])
                if UnitParser.offsetScales[symbol] != nil {
                    throw UnitError(input: input, reason: .offsetUnitInCompound(symbol))
                }
                guard let u = UnitParser.lookup(symbol) else {
                    throw UnitError(input: input, reason: .unknownUnit(symbol))
                }
                base = u
            }
            if let n = try scanExponent(input: input) { base = base.power(n) }
            return base
        }

        mutating func scanExponent(input: String) throws(UnitError) -> Int? {
            let superscripts: [Character: Character] = [
                "⁰": "0", "¹": "1", "²": "2", "³": "3", "⁴": "4", "⁵": "5", "⁶": "6",
                "⁷": "7", "⁸": "8", "⁹": "9", "⁻": "-",
            ]
            if let c = peek, superscripts[c] != nil {
                var text = ""
                while let c = peek, let d = superscripts[c] { text.append(d); index += 1 }
                guard let n = Int(text) else { throw UnitError(input: input, reason: .badExponent(text)) }
                return n
            }
            let start = index
            var explicit = false
            if peek == "^" {
                index += 1
                explicit = true
            } else if peek == "*", index + 1 < chars.count, chars[index + 1] == "*" {
                index += 2
                explicit = true
            }
            var text = ""
            if let c = peek, c == "-" || c == "+" { text.append(c); index += 1 }
            while let c = peek, c.isASCII, c.isNumber { text.append(c); index += 1 }
            if text.isEmpty || text == "-" || text == "+" {
                if explicit || !text.isEmpty {
                    throw UnitError(input: input, reason: .badExponent(String(chars[start..<index])))
                }
                index = start
                return nil
            }
            guard let n = Int(text) else { throw UnitError(input: input, reason: .badExponent(text)) }
            return n
        }
    }
}

/// A quantity of the wrong dimension: `expected a length, got "50 mm/s"`.
public struct DimensionMismatch: Error, Hashable, Sendable, CustomStringConvertible {
    public let input: String
    public let expected: QuantityKind
    public let found: Dimension

    public var description: String {
        "expected \(expected.phrase) (e.g. \"\(expected.example)\"), got \"\(input)\" (\(found))"
    }
}

func pow(_ x: Double, _ n: Int) -> Double {
    var result = 1.0
    var base = n < 0 ? 1 / x : x
    var k = n.magnitude
    while k > 0 {
        if k & 1 == 1 { result *= base }
        base *= base
        k >>= 1
    }
    return result
}

extension String {
    func trimmingSpaces() -> String {
        var s = Substring(self)
        while let c = s.first, c.isWhitespace { s.removeFirst() }
        while let c = s.last, c.isWhitespace { s.removeLast() }
        return String(s)
    }
}
