/// Why a string could not be read as a quantity.
public struct UnitError: Error, Hashable, Sendable, CustomStringConvertible {
    public enum Reason: Hashable, Sendable {
        case empty
        case missingNumber
        case unknownUnit(String)
        case unexpectedCharacter(Character)
        case unbalancedParenthesis
        case badExponent(String)
        /// An offset scale (°C) used inside a compound unit or with an exponent.
        case offsetUnitInCompound(String)
    }

    public let input: String
    public let reason: Reason

    public init(input: String, reason: Reason) {
        self.input = input
        self.reason = reason
    }

    public var description: String {
        switch reason {
        case .empty: return "empty quantity"
        case .missingNumber: return "\"\(input)\" does not start with a number"
        case .unknownUnit(let u): return "unknown unit \"\(u)\" in \"\(input)\""
        case .unexpectedCharacter(let c): return "unexpected character \"\(c)\" in \"\(input)\""
        case .unbalancedParenthesis: return "unbalanced parenthesis in \"\(input)\""
        case .badExponent(let e): return "bad exponent \"\(e)\" in \"\(input)\""
        case .offsetUnitInCompound(let u):
            return "\"\(u)\" is an offset scale and must stand alone (e.g. \"25 degC\") in \"\(input)\""
        }
    }
}
